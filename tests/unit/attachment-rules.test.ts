import { describe, expect, test } from "vitest";
import { checkFiles, filesProblem, MAX_FILES_PER_MESSAGE, safeFilename, sniffContentType } from "~/modules/attachments/file-types";

const bytes = (...values: number[]) => new Uint8Array(values);
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0);

describe("file types come from the bytes", () => {
  test("PNG, JPEG, GIF, WebP, PDF and UTF-8 text are recognised whatever their name", () => {
    expect(sniffContentType(PNG)).toBe("image/png");
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(sniffContentType(new TextEncoder().encode("GIF89a..."))).toBe("image/gif");
    expect(sniffContentType(new Uint8Array([...new TextEncoder().encode("RIFF"), 0, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8 ")]))).toBe("image/webp");
    expect(sniffContentType(new TextEncoder().encode("%PDF-1.7\n"))).toBe("application/pdf");
    expect(sniffContentType(new TextEncoder().encode("Hello, café\r\nline two\t"))).toBe("text/plain");
  });

  test("HTML, SVG, programs and binary junk are refused", () => {
    expect(sniffContentType(new TextEncoder().encode("<!DOCTYPE html><script>alert(1)</script>"))).toBeNull();
    expect(sniffContentType(new TextEncoder().encode("  <svg onload=alert(1)>"))).toBeNull();
    expect(sniffContentType(bytes(0x4d, 0x5a, 0x90, 0x00))).toBeNull(); // a Windows program
    expect(sniffContentType(bytes(0xc3, 0x28))).toBeNull(); // not UTF-8
    expect(sniffContentType(bytes())).toBeNull();
  });
});

describe("sizes", () => {
  test("a file over the per-file limit, and files past the per-message total, are refused with a reason", () => {
    const limits = { maxFileBytes: 10, maxMessageBytes: 15 };
    const png = (n: number) => ({ filename: `f${n}.png`, bytes: new Uint8Array([...PNG, ...new Uint8Array(n - PNG.length)]) });
    const verdicts = checkFiles([png(10), png(11), png(10)], limits);
    expect(verdicts[0]).toEqual({ ok: true, contentType: "image/png" });
    expect(verdicts[1]).toEqual({ ok: false, problem: "f11.png is larger than 1 KB." });
    expect(verdicts[2].ok).toBe(false);
  });

  test("an upload cut short keeps its real size: refused for the file limit, or for the message's total, never checked as its first bytes", () => {
    const limits = { maxFileBytes: 10 * 1024 * 1024, maxMessageBytes: 25 * 1024 * 1024 };
    expect(checkFiles([{ filename: "huge.png", bytes: PNG, sizeBytes: 12 * 1024 * 1024 }], limits)).toEqual([{ ok: false, problem: "huge.png is larger than 10 MB." }]);
    expect(checkFiles([{ filename: "last.txt", bytes: new TextEncoder().encode("abc"), sizeBytes: 9 * 1024 * 1024 }], limits)).toEqual([{ ok: false, problem: "last.txt goes over 25 MB for one message." }]);
  });

  test("a form's file problem names each refused file and asks for the files again; none, no problem", () => {
    const limits = { maxFileBytes: 10 * 1024 * 1024, maxMessageBytes: 25 * 1024 * 1024 };
    const exe = { filename: "holiday.png", bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03]) };
    expect(filesProblem([{ filename: "ok.png", bytes: PNG }], limits)).toBeNull();
    expect(filesProblem([], limits)).toBeNull();
    const problem = filesProblem([{ filename: "ok.png", bytes: PNG }, exe], limits)!;
    expect(problem).toMatch(/^holiday\.png is not a PNG, JPEG, GIF or WebP image, a PDF or a plain-text file\. Nothing was sent: choose the files again/);
    expect(problem).not.toContain("ok.png");
    const many = Array.from({ length: MAX_FILES_PER_MESSAGE + 1 }, (_, i) => ({ filename: `f${i}.png`, bytes: PNG }));
    expect(filesProblem(many, limits)).toBe(`Attach at most ${MAX_FILES_PER_MESSAGE} files to one message. Choose the files again.`);
  });

  test("file names are made safe for pages and headers", () => {
    expect(safeFilename('a"b\r\n<c>.png')).toBe("a_b_c_.png");
    expect(safeFilename("")).toBe("attachment");
  });
});
