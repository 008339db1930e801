// The one way the app writes a date: "5 March 2024" (and "5 March 2024 at 14:05 UTC"), in UTC so
// the server's page and the browser's agree.
const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

// A Date, an ISO day ("2024-03-05") or an ISO moment ("2024-03-05T14:05:00.000Z", how a Date
// reaches the browser in a loader's JSON).
const asDate = (value: unknown): Date | null => {
  const date =
    value instanceof Date
      ? value
      : typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? new Date(`${value}T00:00:00Z`)
        : typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)
          ? new Date(value)
          : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
};

// The same words as DAY and TIME, written directly: Intl's format() was ~1 % of an agent page's
// server CPU (a date per row and per panel line). Years outside 1000–9999 are left to Intl.
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));
const dayOf = (date: Date) => {
  const year = date.getUTCFullYear();
  return year >= 1000 && year <= 9999 ? `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${year}` : DAY.format(date);
};
const timeOf = (date: Date) => `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}`;

/** "5 March 2024", from a Date or an ISO day ("2024-03-05"); never "Invalid Date". */
export function formatDay(value: unknown): string {
  const date = asDate(value);
  return date ? dayOf(date) : "an unknown date";
}

/** "5 March 2024 at 14:05 UTC", from a Date or an ISO moment */
export function formatMoment(value: unknown): string {
  const date = asDate(value);
  return date ? `${dayOf(date)} at ${timeOf(date)} UTC` : "an unknown time";
}

/** Intl's own wording, kept for the test that the direct one matches it. */
export const intlDateFormats = { day: DAY, time: TIME };
