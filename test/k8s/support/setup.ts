// Steps of minutes (an install, 200 orders, a rolling upgrade); every wait inside is bounded.
jest.setTimeout(600_000);
