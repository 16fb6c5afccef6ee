// The nesting depth of JSON text, found by one scan without building anything, so a body nested
// millions deep is refused before JSON.parse spends memory on it. Brackets inside strings do not
// count; the text need not be valid JSON (JSON.parse judges that afterwards).

/** Whether `text` opens more than `max` arrays or objects inside one another. */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character (\" and \\ among them)
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
