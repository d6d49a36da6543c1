/**
 * A broken business rule (product not found, not enough stock, ...). Consumers skip the event
 * and count it instead of retrying: retrying cannot make the rule hold.
 * Domains extend it with their own typed errors; it depends on nothing, so any domain may.
 */
export abstract class BusinessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
