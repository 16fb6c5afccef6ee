"""One process of `npm run bench:blas` (bench/blas.ts): float32 `linear` through OpenBLAS (what libtorch
1.13 uses, calign's engine and Debian's PyTorch alike) against the same product through oneDNN and in
bfloat16, one thread, at the demo model's MLP shape (M x 256 by 704 x 256). OpenBLAS's kernel is whatever
this process's environment made it choose; the launcher runs this under OpenBLAS's own choice and under
calign's. Prints one JSON line: the kernel, and ms per call of each path for each M."""
import ctypes
import json
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


def openblas_core():
    """The kernel the OpenBLAS that torch loaded chose, or "" where torch's BLAS is not OpenBLAS."""
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "openblas" in line and ".so" in line}
    for lib in sorted(libs):
        f = getattr(ctypes.CDLL(lib), "openblas_get_corename", None)
        if f is not None:
            f.restype = ctypes.c_char_p
            return f().decode()
    return ""


rows = []
for m in (1, 64, 1440):
    x, w = torch.randn(m, 256), torch.randn(704, 256)
    xm, wm = x.to_mkldnn(), w.to_mkldnn()
    xb, wb = x.bfloat16(), w.bfloat16()
    # Outputs agree before anything is timed.
    ref = torch.nn.functional.linear(x, w)
    assert torch.allclose(torch._C._nn.mkldnn_linear(xm, wm, None).to_dense(), ref, atol=1e-4)
    calls = max(20, 20000 // m)
    rows.append({
        "m": m,
        "openblas": per_call_ms(lambda: torch.nn.functional.linear(x, w), calls),
        "onednn": per_call_ms(lambda: torch._C._nn.mkldnn_linear(xm, wm, None), calls),
        "bf16": per_call_ms(lambda: torch.nn.functional.linear(xb, wb), calls),
    })
print(json.dumps({"core": openblas_core(), "rows": rows}))
