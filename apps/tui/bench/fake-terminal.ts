import { EventEmitter } from 'node:events';

/** A terminal for Ink to draw into, keeping the end of what was drawn. */
export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  frames = 0;
  last = '';
  write = (chunk: string) => {
    this.frames += 1;
    this.last = (this.last + chunk).slice(-20_000);
    return true;
  };
}

/** Key presses for Ink, written by the bench. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
  }
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
