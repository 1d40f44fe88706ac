// A value handed to storage already encoded as JSON text, so a commit does not stringify it
// again. JSON.stringify of it (toJSON) gives the same text, so any consumer that serialises
// the row still sees the value itself.
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}
