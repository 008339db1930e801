// planer ships without types; this is the one function used (plain-text mode needs no DOM).
declare module "planer" {
  const planer: { extractFrom(text: string, contentType: "text/plain"): string };
  export default planer;
}
