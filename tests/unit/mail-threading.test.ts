import { describe, expect, test } from "vitest";
import { messageIdsIn, referenceFromReplyAddress, referenceInSubject, referencesFor, replyAddressFor } from "~/modules/mail/threading";

const mailFrom = "badgedesk Customer Care <care@badgedesk.test>";
const secret = "a-secret-only-the-server-knows-0123456789";

describe("the per-ticket Reply-To address", () => {
  test("carries the ticket reference and a signature, and is read back to the reference", () => {
    const address = replyAddressFor({ reference: "BD-12AB-34CD", mailFrom, secret });
    expect(address).toMatch(/^care\+bd-12ab-34cd\.[0-9a-f]{20}@badgedesk\.test$/);
    expect(referenceFromReplyAddress({ address, mailFrom, secret })).toBe("BD-12AB-34CD");
    // Mail systems may change the case of an address; it still reads back.
    expect(referenceFromReplyAddress({ address: `"Care" <${address.toUpperCase()}>`, mailFrom, secret })).toBe("BD-12AB-34CD");
  });

  test("a forged or moved signature, another secret, another mailbox or domain opens nothing", () => {
    const address = replyAddressFor({ reference: "BD-12AB-34CD", mailFrom, secret });
    const other = replyAddressFor({ reference: "BD-9999-9999", mailFrom, secret });
    const forged = address.replace(/\.[0-9a-f]{20}@/, ".00000000000000000000@");
    const swapped = `care+bd-9999-9999.${address.split(".")[1].split("@")[0]}@badgedesk.test`;
    expect(referenceFromReplyAddress({ address: forged, mailFrom, secret })).toBeNull();
    expect(referenceFromReplyAddress({ address: swapped, mailFrom, secret })).toBeNull();
    expect(referenceFromReplyAddress({ address: other, mailFrom, secret: "another-secret-of-another-install-000" })).toBeNull();
    expect(referenceFromReplyAddress({ address: address.replace("care+", "sales+"), mailFrom, secret })).toBeNull();
    expect(referenceFromReplyAddress({ address: address.replace("badgedesk.test", "evil.test"), mailFrom, secret })).toBeNull();
    expect(referenceFromReplyAddress({ address: address.slice(0, address.indexOf("@") - 1) + "@badgedesk.test", mailFrom, secret })).toBeNull();
  });
});

describe("references in headers and subjects", () => {
  test("the subject's [BD-…] reference is found through Re:, Fwd: and translations", () => {
    expect(referenceInSubject("Re: [BD-12AB-34CD] New reply: Badge missing")).toBe("BD-12AB-34CD");
    expect(referenceInSubject("AW: WG: [bd-12ab-34cd] Resolved")).toBe("BD-12AB-34CD");
    expect(referenceInSubject("BD-12AB-34CD without brackets")).toBeNull();
  });

  test("Message-IDs are read from headers, and References keep the first and the latest", () => {
    expect(messageIdsIn("<a@x> <b@y>\r\n <c@z>")).toEqual(["<a@x>", "<b@y>", "<c@z>"]);
    expect(messageIdsIn(["<a@x>", "<b@y>"])).toEqual(["<a@x>", "<b@y>"]);
    const ids = Array.from({ length: 14 }, (_, i) => `<${i}@x>`);
    expect(referencesFor(ids)).toEqual(["<0@x>", ...ids.slice(-9)]);
  });
});
