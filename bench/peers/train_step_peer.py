#!/usr/bin/python3
"""Python peer of bench/train_step_bench (planelab::nn::benchmarkTrainStep): the same U-Net
(ML-RECIPE §4.1: encoder 2x(Conv3x3 -> BatchNorm -> ReLU) per level, MaxPool 2x2, decoder
ConvTranspose2d k2 s2 + concat + 2x(Conv3x3 -> ReLU), heatmap 1x1 conv -> 2 channels, location
head: global max pool -> FC -> Dropout(0.5) -> ReLU -> FC -> [B]) in plain PyTorch, the same
initialisation and the same step: forward, MSE(heatmaps) + MSE(location), backward, Adam(lr 1e-3).
Timed with a monotonic clock over --steps steps after --warmup steps.
Run with Debian's /usr/bin/python3 (python3-torch 1.13).
  train_step_peer.py --base 8 --size 96 --batch 16 --steps 10 --warmup 2 --threads 2 [--depth 5]
Prints one JSON line: images_per_s (mean over the steps), best_images_per_s (fastest step),
seconds_per_step, parameters, threads, device, torch."""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBlock(nn.Module):
    """2 x (Conv3x3 pad 1 with bias -> [BatchNorm] -> ReLU); names conv1, norm1, conv2, norm2."""

    def __init__(self, cin, cout, batch_norm):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm1 = nn.BatchNorm2d(cout) if batch_norm else None
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.norm2 = nn.BatchNorm2d(cout) if batch_norm else None

    def forward(self, x):
        x = self.conv1(x)
        if self.norm1 is not None:
            x = self.norm1(x)
        x = F.relu(x, inplace=True)
        x = self.conv2(x)
        if self.norm2 is not None:
            x = self.norm2(x)
        return F.relu(x, inplace=True)


class LocationHead(nn.Module):
    def __init__(self, cin, hidden, dropout):
        super().__init__()
        self.fc1 = nn.Linear(cin, hidden)
        self.dropout = nn.Dropout(dropout)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, pooled):
        return self.fc2(F.relu(self.dropout(self.fc1(pooled)))).squeeze(1)


class PlaneNet(nn.Module):
    def __init__(self, base, depth, heatmap_channels=2, hidden=128, dropout=0.5):
        super().__init__()
        widths = [base << i for i in range(depth)]
        self.encoder = nn.Module()
        for i in range(depth):
            cin = 1 if i == 0 else widths[i - 1]
            setattr(self.encoder, "block%d" % i, ConvBlock(cin, widths[i], True))
        self.decoder = nn.Module()
        for i in range(depth - 1):  # deepest first
            hi, lo = widths[depth - 1 - i], widths[depth - 2 - i]
            setattr(self.decoder, "up%d" % i, nn.ConvTranspose2d(hi, lo, 2, stride=2))
            setattr(self.decoder, "block%d" % i, ConvBlock(2 * lo, lo, False))
        self.heads = nn.Module()
        self.heads.heatmap = nn.Conv2d(widths[0], heatmap_channels, 1)
        self.heads.location = LocationHead(widths[-1], hidden, dropout)
        self.depth = depth
        for m in self.modules():  # Conv2d only (not ConvTranspose2d, not Linear), BatchNorm
            if type(m) is nn.Conv2d:
                nn.init.kaiming_normal_(m.weight, a=0, mode="fan_in")
            elif type(m) is nn.BatchNorm2d:
                nn.init.normal_(m.weight, 1.0, 0.02)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        skips = []
        h = x
        for i in range(self.depth):
            if i > 0:
                h = F.max_pool2d(h, 2)
            h = getattr(self.encoder, "block%d" % i)(h)
            skips.append(h)
        location = self.heads.location(h.amax(dim=(2, 3)))
        for i in range(self.depth - 1):
            h = getattr(self.decoder, "up%d" % i)(h)
            h = getattr(self.decoder, "block%d" % i)(torch.cat([h, skips[-2 - i]], 1))
        return self.heads.heatmap(h), location


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=8)
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--depth", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    cuda = args.device == "cuda" and torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    torch.manual_seed(0)
    net = PlaneNet(args.base, args.depth).to(device)
    net.train()
    x = torch.randn(args.batch, 1, args.size, args.size, device=device)
    heatmaps = torch.rand(args.batch, 2, args.size, args.size, device=device)
    location = torch.rand(args.batch, device=device)
    adam = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        adam.zero_grad()
        out_heatmaps, out_location = net(x)
        loss = F.mse_loss(out_heatmaps, heatmaps) + F.mse_loss(out_location, location)
        loss.backward()
        adam.step()

    for _ in range(args.warmup):
        step()
    if cuda:
        torch.cuda.synchronize()
    start = last = time.perf_counter()  # monotonic, as std::chrono::steady_clock
    fastest = None  # seconds
    for _ in range(args.steps):
        step()
        if cuda:
            torch.cuda.synchronize()
        now = time.perf_counter()
        fastest = now - last if fastest is None else min(fastest, now - last)
        last = now
    seconds = last - start
    per_step = seconds / args.steps
    print(json.dumps({"images_per_s": args.batch / per_step, "seconds_per_step": per_step,
                      "best_images_per_s": args.batch / fastest,
                      "parameters": sum(p.numel() for p in net.parameters()),
                      "threads": torch.get_num_threads(), "device": device.type,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
