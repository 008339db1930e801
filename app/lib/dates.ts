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

/** "5 March 2024", from a Date or an ISO day ("2024-03-05"); never "Invalid Date". */
export function formatDay(value: unknown): string {
  const date = asDate(value);
  return date ? DAY.format(date) : "an unknown date";
}

/** "5 March 2024 at 14:05 UTC", from a Date or an ISO moment */
export function formatMoment(value: unknown): string {
  const date = asDate(value);
  return date ? `${DAY.format(date)} at ${TIME.format(date)} UTC` : "an unknown time";
}
