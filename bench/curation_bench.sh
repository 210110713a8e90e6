#!/usr/bin/env bash
# Curation and pretext-target benchmarks; prints a Markdown section for docs/benchmarks.md.
# Usage: bench/curation_bench.sh [catalog_studies=1000]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
studies=${1:-1000}
bin=$root/build/release/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3

ours=$("$bin/targets_bench" --subjects 20 --cases-out "$work/cases.json")
peer=$("$py" "$root/bench/peers/targets_oracle_bench.py" "$work/cases.json")
get() { awk -v k="$1" '$1 == k {print $2}' <<< "$2"; }
curation=$("$bin/curation_validation" --only catalog --catalog-studies "$studies")
memory=$("$bin/curation_validation" --only speed)

cat <<MD
## Pretext targets (\`build/release/bench/targets_bench --subjects 20\` vs \`bench/peers/targets_oracle_bench.py\`)

Line heatmaps of 236 SAX images x 2 channels (2CH, 4CH), 224x224 at 1.26 mm, sigma 6 px, one
thread; the peer is the numpy oracle of the oracle test (\`tests/tools/pretext_oracle.py\`), same
cases, same checksum.

| measure | PlaneLab | numpy $("$py" -c 'import numpy; print(numpy.__version__)') (peer) | ratio |
|---|---|---|---|
| heatmaps per second, new array per heatmap | $(get heatmaps_per_s "$ours") | $(get heatmaps_per_s "$peer") | $(get ratio "$peer") x |
| heatmaps per second, into a preallocated buffer | $(get into_heatmaps_per_s "$ours") | $(get into_heatmaps_per_s "$peer") | $(get ratio_into "$peer") x |

## Curation (\`build/release/bench/curation_validation --only catalog --catalog-studies $studies\`, \`--only speed\`)

\`\`\`
$curation
$memory
\`\`\`

Geometry only (planes, stacks, views, intersection matrix, findings; no pixels). The catalog
variant reads every study's images from SQLite and stores the results (one transaction per 64
studies); the misalignment score reads pixels and is measured with the validation numbers in
docs/curation.md.
MD
