// The first host of a SLURM node list (SLURM_JOB_NODELIST), which calign uses as the rendezvous host
// when SLURM starts the ranks: "gpu[07-09,12],cpu3" -> "gpu07" (ranges keep their zero padding).

/** The first host named by a SLURM node list; throws on an empty or malformed list. */
export function firstSlurmHost(nodelist: string): string {
  const list = nodelist.trim();
  const open = list.indexOf("[");
  const comma = list.indexOf(",");
  if (open < 0 || (comma >= 0 && comma < open)) {
    const host = comma < 0 ? list : list.slice(0, comma);
    if (host === "") throw new Error(`SLURM node list '${nodelist}' names no host`);
    return host;
  }
  const close = list.indexOf("]", open);
  const first = close < 0 ? undefined : /^\d+/.exec(list.slice(open + 1, close));
  if (open === 0 || first === undefined || first === null)
    throw new Error(`SLURM node list '${nodelist}' is not of the form prefix[range,...]`);
  // What follows the bracket up to the next top-level comma is a suffix of every host ("n[1-2]-ib").
  const rest = list.slice(close + 1);
  const suffix = rest.split(",")[0] ?? "";
  return `${list.slice(0, open)}${first[0]}${suffix}`;
}
