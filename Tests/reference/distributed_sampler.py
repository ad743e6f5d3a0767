"""torch.utils.data.DistributedSampler's split of range(n) (shuffle off, drop_last off) for the
Shard tests: writes n{n}_w{w}_r{r}.npy (int64 indices) for every rank of each case."""
import sys

import numpy as np
from torch.utils.data import DistributedSampler

out = sys.argv[1]
for n, world in [(10, 3), (8, 2), (7, 4), (2, 3), (24, 2)]:
    for rank in range(world):
        sampler = DistributedSampler(range(n), num_replicas=world, rank=rank, shuffle=False)
        np.save(f"{out}/n{n}_w{world}_r{rank}.npy", np.array(list(sampler), dtype=np.int64))
