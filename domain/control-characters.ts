/** Whether text holds ASCII control characters: they forge log lines and break single-line fields. */
export function hasControlCharacters(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}
