// Test-only preload (NODE_OPTIONS=--import): shifts this process's wall clock (Date) by
// VIGIL_TEST_CLOCK_OFFSET_MS milliseconds, like a host whose clock is wrong.
const offsetMs = Number(process.env.VIGIL_TEST_CLOCK_OFFSET_MS ?? '0');
const RealDate = globalThis.Date;

class SkewedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...args);
  }

  static now() {
    return RealDate.now() + offsetMs;
  }
}

globalThis.Date = SkewedDate;
