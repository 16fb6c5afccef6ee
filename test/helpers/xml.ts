// A strict little XML reader for tests (elements, attributes, text, the five predefined entities and
// numeric references): enough to read back the JUnit files calign writes and to fail on malformed ones
// (an unclosed or mismatched tag, a bare '&' or '<', text outside the root).
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string): string {
  if (/[<]/.test(s)) throw new Error(`bare '<' in ${JSON.stringify(s)}`);
  return s.replace(/&([^;\s]*);?/g, (m, name: string) => {
    if (!m.endsWith(";")) throw new Error(`bare '&' in ${JSON.stringify(s)}`);
    if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    const e = ENTITIES[name];
    if (e === undefined) throw new Error(`unknown entity &${name};`);
    return e;
  });
}

export function parseXml(text: string): XmlElement {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let at = 0;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    const between = body.slice(at, m.index);
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(between);
    else if (between.trim() !== "") throw new Error(`text outside the root: ${JSON.stringify(between)}`);
    at = tag.lastIndex;
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? "nothing"}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    const el: XmlElement = { name: name!, attrs, children: [], text: "" };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root !== null) throw new Error("a second root element");
    else root = el;
    if (!selfClose) stack.push(el);
  }
  if (body.slice(at).trim() !== "") throw new Error(`unparsed: ${JSON.stringify(body.slice(at, at + 40))}`);
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root === null) throw new Error("no element");
  return root;
}
