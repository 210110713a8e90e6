// k-space truncation as an exact spatial operator: keeping only the central part of the DFT of a
// length-n signal (with a mild Fermi roll-off) equals a circular convolution with the real,
// symmetric kernel computed here. Applied separably along rows and columns this reproduces the
// blur and Gibbs ringing of a partially acquired matrix without an FFT library.
#pragma once

#include <vector>

namespace planelab::phantom {

// Kernel h[d], d = 0..n-1 (circular), for keeping frequencies |k| <= fraction * n / 2.
// fraction >= 1 gives the identity (h[0] = 1).
std::vector<double> kspaceTruncationKernel(int n, double fraction);

// In-place circular convolution of `count` lines of length n with the kernel, where element j of
// line l is data[l * line_stride + j * element_stride].
void convolveLines(std::vector<double>& data, int n, int count, int line_stride, int element_stride,
                   const std::vector<double>& kernel);

}  // namespace planelab::phantom
