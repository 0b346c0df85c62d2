/** What happened to the lines of one source; complete once its output has been fully read. */
export interface LineStats {
  /** Non-blank lines read from the source. */
  linesIn: number;
  /** Lines written to the output. */
  linesOut: number;
  /** Lines that are not valid JSON (quarantined or passed on, depending on the option). */
  invalid: number;
  /** Invalid lines kept out of the output and handed to the quarantine sink. */
  quarantined: number;
  /** Lines the transform hook dropped. */
  dropped: number;
  /** Blank lines (empty or only `\r`) left out. */
  blank: number;
  /** Bytes written to the output, newlines included. */
  bytesOut: number;
}

/** Fresh counters, all zero. */
export function emptyLineStats(): LineStats {
  return { linesIn: 0, linesOut: 0, invalid: 0, quarantined: 0, dropped: 0, blank: 0, bytesOut: 0 };
}
