// Chat messages as TRL and the OpenAI fine-tuning API write them: {"role", "content"} with text content.
import type { ChatMessage } from "../tokenizers/index.js";
import type { Fields } from "./fields.js";

export function parseMessages(f: Fields, key: string, { nonEmpty = true } = {}): ChatMessage[] {
  return f.objects(key, { nonEmpty }).map((m) => {
    if (m.has("content") && typeof m.raw("content") !== "string") {
      m.fail("content", "expected a string (multi-part content is not supported)");
    }
    return { role: m.string("role", { nonEmpty: true }), content: m.string("content") };
  });
}

/** A field that is either a string or a list of messages (TRL's "standard" and "conversational" forms). */
export function parseTextOrMessages(f: Fields, key: string): string | ChatMessage[] {
  const v = f.raw(key);
  if (typeof v === "string") return v;
  if (v !== undefined && !Array.isArray(v)) f.fail(key, "expected a string or a list of messages");
  return parseMessages(f, key);
}
