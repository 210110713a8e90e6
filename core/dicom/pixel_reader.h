// Pixel values of one frame of a monochrome DICOM image, for quick-look images and the GUI.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace planelab::dicom {

// One frame's stored values after the Modality LUT (RescaleSlope/Intercept, or a Modality LUT
// Sequence), as float, row-major rows x cols. MONOCHROME1 values are not inverted: `monochrome1`
// tells a viewer that higher values are to be displayed darker.
struct PixelImage {
  int rows = 0;
  int cols = 0;
  std::vector<float> values;
  bool monochrome1 = false;
};

// Reads frame `frame_number` of a MONOCHROME1/2 image: 0 = a single-frame file (or the only frame
// of a file with one frame); 1..N = a frame of a multi-frame file, as the catalog's
// instances.frame_number. Stored values are masked to BitsStored bits (HighBit honoured) and sign
// extended when PixelRepresentation is 1; 8, 16 and 32 bits allocated. The rescale of an enhanced
// multi-frame image comes from the frame's Pixel Value Transformation functional group (per-frame,
// else shared), else from the top level. Decompresses JPEG lossless/baseline/extended, JPEG-LS
// and RLE (only the requested frame), reads deflated and big-endian syntaxes. Thread-safe: any
// number of threads may read (different or the same) files at once.
//
// On failure returns nullopt and sets *error_key (if given) to a stable key and *message (if
// given) to a text for people; on success both are cleared. Keys:
//   cannot_read_file             missing, unreadable, not DICOM, or DCMTK cannot parse it
//   no_pixel_data                no (or an empty) integer Pixel Data element
//   unsupported_transfer_syntax  an unknown transfer syntax or one with no decoder (JPEG 2000, ...)
//   unsupported_photometric      colour (SamplesPerPixel != 1 or not MONOCHROME1/2)
//   frame_out_of_range           frame_number outside 0 (single frame) or 1..NumberOfFrames
//   pixel_decode_failed          bad image attributes, short pixel data, or a decoder error
std::optional<PixelImage> readPixels(const std::filesystem::path& file, int frame_number,
                                     std::string* error_key, std::string* message);

}  // namespace planelab::dicom
