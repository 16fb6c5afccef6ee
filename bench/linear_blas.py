"""float32 `linear` through OpenBLAS (what libtorch 1.13 uses, calign's engine and Debian's PyTorch alike)
against the same product through oneDNN and in bfloat16, one thread, at the demo model's MLP shape
(M x 256 by 704 x 256). Prints ms per call and each path's speed as a multiple of OpenBLAS's.
Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/linear_blas.py (npm run bench:blas)."""
import time

import torch

torch.set_num_threads(1)


def per_call_ms(f, calls):
    for _ in range(5):
        f()
    t = time.perf_counter()
    for _ in range(calls):
        f()
    return (time.perf_counter() - t) / calls * 1e3


print("M      openblas_ms  onednn_ms  bf16_ms  onednn_x  bf16_x")
for m in (1, 64, 1440):
    x, w = torch.randn(m, 256), torch.randn(704, 256)
    xm, wm = x.to_mkldnn(), w.to_mkldnn()
    xb, wb = x.bfloat16(), w.bfloat16()
    # Outputs agree before anything is timed.
    ref = torch.nn.functional.linear(x, w)
    assert torch.allclose(torch._C._nn.mkldnn_linear(xm, wm, None).to_dense(), ref, atol=1e-4)
    calls = max(20, 20000 // m)
    blas = per_call_ms(lambda: torch.nn.functional.linear(x, w), calls)
    dnn = per_call_ms(lambda: torch._C._nn.mkldnn_linear(xm, wm, None), calls)
    bf16 = per_call_ms(lambda: torch.nn.functional.linear(xb, wb), calls)
    print(f"{m:<6} {blas:11.3f} {dnn:10.3f} {bf16:8.3f} {blas / dnn:9.2f} {blas / bf16:7.2f}")
