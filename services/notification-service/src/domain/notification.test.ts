import { consumedTopicsOf, topicOfEvent } from '@shop/contracts';
import { NOTIFIED_EVENTS } from './notification';

describe('notified events', () => {
  // The customer hears of every event on the topics this service reads, and of nothing else.
  it('are exactly the events on the topics notification-service consumes', () => {
    expect(NOTIFIED_EVENTS.map(topicOfEvent).sort()).toEqual(
      consumedTopicsOf('notification-service').sort(),
    );
  });
});
