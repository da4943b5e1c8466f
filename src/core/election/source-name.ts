/** Source names as they appear in definitions, entries, URLs and file names: the one pattern every reader checks. */

/** A source name: lower-case letters, digits, _ . - (1–64, not starting with _ . -), e.g. "computo", "delegado-cc". */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
