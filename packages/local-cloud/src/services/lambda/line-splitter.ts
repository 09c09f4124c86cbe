/** Cuts a stream of text chunks into lines, keeping a partial line until its end arrives. */
export class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  /** Emits what is left as a line of its own (the writer is done, or the invocation is). */
  flush(): void {
    if (this.partial === '') return;
    const rest = this.partial;
    this.partial = '';
    this.onLine(rest);
  }
}
