#!/usr/bin/env bash
# A parameter sweep cut over a Slurm job array: task K runs shard K of the array's tasks
# (`peregrine sweep --shard auto/N` reads SLURM_ARRAY_TASK_ID less SLURM_ARRAY_TASK_MIN), every shard
# writing its rows to one store. Submit, then collect once every task is done:
#
#   export PEREGRINE_STORE=postgres://peregrine@db.example:5432/peregrine PGPASSWORD=...
#   job=$(sbatch --parsable deploy/slurm/sweep-array.sh)
#   sbatch --dependency=afterany:"$job" --wrap "peregrine sweep collect --store $PEREGRINE_STORE --sweep ID --out sweep"
#
# ID is the sweep id every task printed first (peregrine-sweep-JOB_K.out). A task that failed is
# run again with `sbatch --array=K deploy/slurm/sweep-array.sh`; it replaces its rows.
#SBATCH --job-name=peregrine-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=peregrine-sweep-%A_%a.out
set -euo pipefail

: "${PEREGRINE_STORE:?set PEREGRINE_STORE to the store every task can reach (a postgres:// URL, the password in PGPASSWORD)}"
: "${SLURM_ARRAY_TASK_COUNT:?run this with sbatch as a job array (sbatch --array=0-7)}"
data="${PEREGRINE_DATA:-prices.csv}"

# Every task runs the same command but for the shard, which is how they agree on the sweep id.
exec peregrine sweep --data "$data" --strategy sma-cross \
  --grid fast=5..50:1 --grid slow=20..200:2 --constraint "fast<slow" --objective sharpe \
  --commission per-share:0.005,min=1 \
  --shard "auto/$SLURM_ARRAY_TASK_COUNT" --store "$PEREGRINE_STORE" --threads "${SLURM_CPUS_PER_TASK:-1}"
