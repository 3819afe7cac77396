// Whether traffic is light enough to coalesce: fewer rows a second than a bound, in the current
// second and the one before. A quiet source exporting every second then gets one insert per table
// per window instead of one per export; a burst — and the second after it, so a burst's last
// small batch does not wait out the window — is inserted at once.

export class LightTraffic {
  private second = 0;
  private rowsThisSecond = 0;
  private rowsLastSecond = 0;
  private readonly belowRowsPerSecond: number;
  private readonly clock: () => number;

  constructor(belowRowsPerSecond: number, clock: () => number = () => performance.now()) {
    this.belowRowsPerSecond = belowRowsPerSecond;
    this.clock = clock;
  }

  /** Counts rows arriving now. */
  note(rows: number): void {
    this.roll();
    this.rowsThisSecond += rows;
  }

  get light(): boolean {
    this.roll();
    return Math.max(this.rowsThisSecond, this.rowsLastSecond) < this.belowRowsPerSecond;
  }

  private roll(): void {
    const second = Math.floor(this.clock() / 1000);
    if (second === this.second) return;
    this.rowsLastSecond = second === this.second + 1 ? this.rowsThisSecond : 0;
    this.rowsThisSecond = 0;
    this.second = second;
  }
}
