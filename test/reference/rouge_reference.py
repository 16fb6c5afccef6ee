"""Independent reference for calign's ROUGE and Porter-stemmer tests.

Written from the published definitions, not from calign's code:
  * tokens: rouge-score's documented default tokenizer (lowercase, every run outside [a-z0-9] becomes a
    space, whitespace split, NLTK's PorterStemmer on tokens longer than 3 characters);
  * ROUGE-N (Lin 2004, sec. 2): clipped n-gram overlap / n-grams in prediction (P) or target (R);
  * ROUGE-L (sec. 3.1): LCS / prediction length (P), / target length (R), F = 2PR / (P + R);
  * ROUGE-Lsum (sec. 3.2, as ROUGE-1.5.5 counts it): target and prediction split on newlines; for every
    target sentence the union of its LCS positions with each prediction sentence, a token counting as a hit
    only while unused copies remain in both texts. One LCS per pair is read out from the end of the DP
    table, preferring to drop a prediction token only when that keeps a strictly longer LCS (the read-out
    rouge-score and ROUGE-1.5.5 use; the union depends on it).
  * answer normalisation: the Super-NaturalInstructions scorer's normalize_answer (lowercase, drop
    string.punctuation, collapse whitespace with str.split).
Reads one JSON object on stdin, writes one on stdout:
  {"stem": [word, ...], "rouge": [{"target" | "targets", "prediction", "stem"}, ...], "normalize": [text]}
  -> {"stem": [stemmed, ...], "rouge": [{type: [P, R, F]} ...], "normalize": [text], "nltk": version}
"""
import collections
import json
import re
import string
import sys

import nltk
from nltk.stem.porter import PorterStemmer

STEMMER = PorterStemmer()
TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def tokens(text, stem):
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    if stem:
        words = [STEMMER.stem(w) if len(w) > 3 else w for w in words]
    return [w for w in words if re.fullmatch(r"[a-z0-9]+", w)]


def f_score(p, r):
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def ngram_prf(t, p, n):
    tg = collections.Counter(tuple(t[i:i + n]) for i in range(len(t) - n + 1))
    pg = collections.Counter(tuple(p[i:i + n]) for i in range(len(p) - n + 1))
    overlap = sum((tg & pg).values())
    prec = overlap / max(sum(pg.values()), 1)
    rec = overlap / max(sum(tg.values()), 1)
    return [prec, rec, f_score(prec, rec)]


def lcs_dp(a, b):
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        for j, y in enumerate(b, 1):
            d[i][j] = d[i - 1][j - 1] + 1 if x == y else max(d[i - 1][j], d[i][j - 1])
    return d


def lcs_positions(a, b):
    d = lcs_dp(a, b)
    i, j, out = len(a), len(b), set()
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.add(i - 1)
            i, j = i - 1, j - 1
        elif d[i][j - 1] > d[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return out


def lcs_prf(t, p):
    if not t or not p:
        return [0.0, 0.0, 0.0]
    length = lcs_dp(t, p)[-1][-1]
    return [length / len(p), length / len(t), f_score(length / len(p), length / len(t))]


def lsum_prf(target, prediction, stem):
    ts = [tokens(s, stem) for s in target.split("\n") if s]
    ps = [tokens(s, stem) for s in prediction.split("\n") if s]
    m, n = sum(map(len, ts)), sum(map(len, ps))
    if not m or not n:
        return [0.0, 0.0, 0.0]
    left_t = collections.Counter(w for s in ts for w in s)
    left_p = collections.Counter(w for s in ps for w in s)
    hits = 0
    for s in ts:
        union = set()
        for c in ps:
            union |= lcs_positions(s, c)
        for i in sorted(union):
            w = s[i]
            if left_t[w] > 0 and left_p[w] > 0:
                hits += 1
                left_t[w] -= 1
                left_p[w] -= 1
    return [hits / n, hits / m, f_score(hits / n, hits / m)]


def score(target, prediction, stem):
    t, p = tokens(target, stem), tokens(prediction, stem)
    return {
        "rouge1": ngram_prf(t, p, 1),
        "rouge2": ngram_prf(t, p, 2),
        "rougeL": lcs_prf(t, p),
        "rougeLsum": lsum_prf(target, prediction, stem),
    }


def score_max(targets, prediction, stem):
    # Per type, the reference with the highest F (first on ties).
    all_scores = [score(t, prediction, stem) for t in targets]
    return {k: max(all_scores, key=lambda s: s[k][2])[k] for k in TYPES}


def normalize_answer(text):
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    return " ".join(text.split())


def main():
    job = json.load(sys.stdin)
    out = {"nltk": nltk.__version__, "stem": [STEMMER.stem(w) for w in job.get("stem", [])], "rouge": []}
    for case in job.get("rouge", []):
        targets = case["targets"] if "targets" in case else [case["target"]]
        out["rouge"].append(score_max(targets, case["prediction"], case["stem"]))
    out["normalize"] = [normalize_answer(t) for t in job.get("normalize", [])]
    json.dump(out, sys.stdout)


main()
