// Text for tokenizer parity tests: hand-picked hard cases plus seeded random mixes of them.

export const HAND_PICKED: readonly string[] = [
  "Hello world",
  "Hello, my dog is cute. It's 2024 — isn't it?",
  " leading space",
  "trailing space ",
  "  two leading spaces and   runs of    spaces",
  "tabs\tand\t\ttabs",
  "new\nlines\n\n\nand\r\nCRLF",
  "   \n  \t ",
  "I'll've we'd they're you've she's it'd I'm 'tis",
  "SHOUTING IT'S LOUD, WE'LL SEE",
  "numbers 0 7 42 123 2024 1234567890 3.14159 -17 1e10 0x1F",
  "naïve café résumé jalapeño façade Ångström",
  "日本語のテキストと漢字、カタカナ。",
  "中文文本：你好，世界！",
  "한국어 텍스트입니다",
  "Русский текст и ёлка",
  "Ελληνικά κείμενα",
  "עברית וערבית: مرحبا بالعالم",
  "emoji 🦙🚀🎉 👩‍👩‍👧‍👦 🇫🇷 ❤️ 👍🏽",
  "math ∑∫√∞ ≤ ≥ ≠ ± × ÷ → ⇒ ∀x∈ℝ",
  "def f(x):\n    return x ** 2  # square\n",
  "function add(a, b) { return a + b; }\nconsole.log(add(1, 2));",
  '{"key": "value", "list": [1, 2, 3], "nested": {"a": null}}',
  '<html><body><p class="x">Hi &amp; bye</p></body></html>',
  "SELECT * FROM users WHERE id = 42 AND name LIKE '%bob%';",
  "https://example.com/path?query=1&other=two#frag user@example.org",
  "!!! ??? ... --- *** ___ ~~~ ``` ''' \"\"\"",
  "a\u00a0non-breaking\u2003em-space\u3000ideographic",
  "zero\u200bwidth\u200djoiner",
  "combining e\u0301 vs é and n\u0303",
  "Ĳ ﬁ ﬂ ligatures and ² ³ superscripts",
  "x",
  "",
];

const POOL = [...HAND_PICKED.join(""), " ", " ", " ", "\n", "\t", "'", "s", "1", "2", "é", "🦙"];

/** `count` pseudo-random strings (seeded, so failures reproduce) drawn from the hand-picked text. */
export function randomCorpus(count: number, seed = 1234): string[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let t = "";
    const len = 1 + Math.floor(next() * 40);
    for (let j = 0; j < len; j++) {
      if (next() < 0.3) {
        const src = [...HAND_PICKED[Math.floor(next() * HAND_PICKED.length)]!]; // code points: no lone surrogates
        const a = Math.floor(next() * src.length);
        t += src.slice(a, a + 1 + Math.floor(next() * 8)).join("");
      } else t += POOL[Math.floor(next() * POOL.length)];
    }
    out.push(t);
  }
  return out;
}
