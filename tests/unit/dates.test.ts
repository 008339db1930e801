import { describe, expect, test } from "vitest";
import { formatDay, formatMoment, intlDateFormats } from "~/lib/dates";

// The app writes dates without Intl on the hot path; a reader must see exactly what Intl's en-GB
// (UTC) wrote before, on the server's page and in the browser alike.
describe("dates read as en-GB in UTC", () => {
  test("every month and day of several years, and every hour and minute, match Intl", () => {
    const start = Date.UTC(1999, 0, 1);
    for (let t = start; t < Date.UTC(2031, 0, 1); t += 86_400_000 + 7 * 60_000 + 13_000) {
      const date = new Date(t);
      expect(formatDay(date)).toBe(intlDateFormats.day.format(date));
      expect(formatMoment(date)).toBe(`${intlDateFormats.day.format(date)} at ${intlDateFormats.time.format(date)} UTC`);
    }
  });

  test("ISO days and moments as they reach the browser, and the fallbacks", () => {
    expect(formatDay("2024-03-05")).toBe("5 March 2024");
    expect(formatMoment("2024-03-05T14:05:00.000Z")).toBe("5 March 2024 at 14:05 UTC");
    expect(formatMoment("2024-12-31T23:59:59.999Z")).toBe("31 December 2024 at 23:59 UTC");
    expect(formatMoment(new Date(Date.UTC(2024, 0, 1, 0, 0)))).toBe("1 January 2024 at 00:00 UTC");
    expect(formatDay(new Date(Date.UTC(999, 5, 1)))).toBe(intlDateFormats.day.format(new Date(Date.UTC(999, 5, 1))));
    expect(formatDay("not a date")).toBe("an unknown date");
    expect(formatMoment(new Date(NaN))).toBe("an unknown time");
  });
});
