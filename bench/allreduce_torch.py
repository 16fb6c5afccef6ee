# One rank of `npm run bench:distributed` (PyTorch side): torch.distributed's all_reduce over Gloo on the
# same buckets as bench/allreduce.child.ts, every bucket issued (async_op) before waiting, as DDP does.
import json
import sys
import time
from datetime import timedelta

import torch
import torch.distributed as dist

buckets, bucket_mb, warmup, timed = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(1)
dist.init_process_group("gloo", timeout=timedelta(seconds=120))
tensors = [torch.ones(bucket_mb * 1024 * 1024 // 4) for _ in range(buckets)]
ms = []
for i in range(warmup + timed):
    dist.barrier()
    start = time.perf_counter()
    for w in [dist.all_reduce(t, async_op=True) for t in tensors]:
        w.wait()
    if i >= warmup:
        ms.append((time.perf_counter() - start) * 1000)
dist.destroy_process_group()
print(json.dumps({"ms": ms}))
