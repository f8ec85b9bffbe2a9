/** Errors the store throws. I/O errors from the file layer are rethrown as they are. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A write (or batch) that cannot fit even in a buffer of the maximum capacity; nothing was written. */
export class CapacityError extends StoreError {
  constructor(
    readonly neededBytes: number,
    readonly maxCapacityBytes: number,
  ) {
    super(`write needs ${neededBytes} bytes (header and compacted state included) but the store's maximum capacity is ${maxCapacityBytes} bytes; nothing was written`);
  }
}

/** The store cannot be opened without risking data: the file is left untouched. */
export class StoreOpenError extends StoreError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    detail: string,
  ) {
    super(`cannot open store: ${file} at offset ${offset}: ${reason}: ${detail} (the file was not modified)`);
  }
}

export class StoreClosedError extends StoreError {
  constructor() {
    super('the store is closed');
  }
}
