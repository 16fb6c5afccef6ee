// Fills {name} placeholders of a prompt template in one pass. Values go in verbatim: String.replace
// with a string would expand "$&" or "$1" inside a model's response, and chained replaces would fill
// a placeholder that a previous value happened to contain.
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? (values[name] as string) : placeholder,
  );
}
