// The launchers' variables as torch.distributed reads them: torchrun (agent-hosted store and keys under
// /worker/attempt_<n>), calign launch / PyTorchJob (rank 0 hosts), SLURM (procid, ntasks, node list).
import assert from "node:assert/strict";
import { test } from "node:test";
import { rankEnv, threadEnv } from "./launch-ranks.js";
import { rendezvousFromEnv } from "./rendezvous-env.js";
import { firstSlurmHost } from "./slurm-nodelist.js";

test("no launcher variables: not a rank", () => {
  assert.equal(rendezvousFromEnv({ PATH: "/bin" }), undefined);
});

test("torchrun's static rendezvous: every rank a client of the agent's store, keys of this attempt", () => {
  const env = {
    RANK: "3",
    LOCAL_RANK: "1",
    WORLD_SIZE: "4",
    MASTER_ADDR: "node-a",
    MASTER_PORT: "29400",
    TORCHELASTIC_USE_AGENT_STORE: "True",
    TORCHELASTIC_RESTART_COUNT: "2",
  };
  assert.deepEqual(rendezvousFromEnv(env), {
    rank: 3,
    worldSize: 4,
    localRank: 1,
    masterAddr: "node-a",
    masterPort: 29400,
    hostStore: false,
    prefix: "/worker/attempt_2",
  });
  assert.equal(rendezvousFromEnv({ ...env, RANK: "0" })!.hostStore, false);
});

test("calign launch, torchrun --standalone, PyTorchJob: rank 0 hosts the store", () => {
  const env = { RANK: "0", WORLD_SIZE: "2", MASTER_ADDR: "10.0.0.5", TORCHELASTIC_USE_AGENT_STORE: "False" };
  assert.deepEqual(rendezvousFromEnv(env), {
    rank: 0,
    worldSize: 2,
    localRank: 0,
    masterAddr: "10.0.0.5",
    masterPort: 29500,
    hostStore: true,
  });
});

test("SLURM: rank, size and local rank from srun, rendezvous on the node list's first host", () => {
  const env = {
    SLURM_PROCID: "5",
    SLURM_NTASKS: "8",
    SLURM_LOCALID: "1",
    SLURM_JOB_NODELIST: "gpu[07-09,12]",
  };
  assert.deepEqual(rendezvousFromEnv(env), {
    rank: 5,
    worldSize: 8,
    localRank: 1,
    masterAddr: "gpu07",
    masterPort: 29500,
    hostStore: false,
  });
  assert.equal(rendezvousFromEnv({ ...env, MASTER_ADDR: "login1" })!.masterAddr, "login1");
  assert.equal(
    rendezvousFromEnv({ ...env, RANK: "0", WORLD_SIZE: "1" })!.worldSize,
    1,
    "launcher variables win",
  );
});

test("bad variables are errors naming them", () => {
  assert.throws(() => rendezvousFromEnv({ RANK: "x", WORLD_SIZE: "2" }), /RANK='x' is not an integer/);
  assert.throws(() => rendezvousFromEnv({ RANK: "0" }), /WORLD_SIZE is not set/);
  assert.throws(
    () => rendezvousFromEnv({ RANK: "2", WORLD_SIZE: "2" }),
    /rank 2 is not below the world size 2/,
  );
  assert.throws(
    () => rendezvousFromEnv({ RANK: "0", WORLD_SIZE: "2", MASTER_PORT: "70000" }),
    /MASTER_PORT='70000'/,
  );
  assert.throws(
    () => rendezvousFromEnv({ RANK: "0", WORLD_SIZE: "2", TORCHELASTIC_USE_AGENT_STORE: "True" }),
    /TORCHELASTIC_RESTART_COUNT is not set/,
  );
});

test("first host of SLURM node lists", () => {
  assert.equal(firstSlurmHost("node1"), "node1");
  assert.equal(firstSlurmHost("node1,node2"), "node1");
  assert.equal(firstSlurmHost("gpu[007-010]"), "gpu007");
  assert.equal(firstSlurmHost("a[3,5-6],b[1-2]"), "a3");
  assert.equal(firstSlurmHost("rack1-n[2-4]-ib,x"), "rack1-n2-ib");
  assert.equal(firstSlurmHost("login,gpu[1-2]"), "login");
  assert.throws(() => firstSlurmHost(""), /names no host/);
  assert.throws(() => firstSlurmHost("gpu[x]"), /not of the form/);
});

test("calign launch numbers ranks node by node, as torchrun", () => {
  const plan = {
    command: "x",
    args: [],
    nprocPerNode: 4,
    nnodes: 2,
    nodeRank: 1,
    masterAddr: "h",
    masterPort: 1234,
  };
  assert.deepEqual(rankEnv(plan, 2), {
    RANK: "6",
    LOCAL_RANK: "2",
    WORLD_SIZE: "8",
    LOCAL_WORLD_SIZE: "4",
    GROUP_RANK: "1",
    MASTER_ADDR: "h",
    MASTER_PORT: "1234",
  });
});

test("launch divides the cores among a node's ranks unless the user set the thread count", () => {
  assert.deepEqual(threadEnv(2, {}, 16), { OMP_NUM_THREADS: "8" });
  assert.deepEqual(threadEnv(4, {}, 2), { OMP_NUM_THREADS: "1" });
  assert.deepEqual(threadEnv(1, {}, 16), {});
  assert.deepEqual(threadEnv(2, { OMP_NUM_THREADS: "3" }, 16), {});
  assert.deepEqual(threadEnv(2, { OPENBLAS_NUM_THREADS: "3" }, 16), {});
});
