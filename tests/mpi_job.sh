# Shared by the MPI tests (sourced): mpirun with what a test machine needs.
# One machine, any number of cores: more processes than cores are allowed;
# as root (containers, CI) Open MPI must be told that root is meant; shared
# memory without the cross-memory attach that containers forbid.
MPIRUN=${MPIRUN:-mpirun}
mpi_flags=(--oversubscribe)
if [ "$(id -u)" -eq 0 ]; then
  mpi_flags+=(--allow-run-as-root)
fi
export OMPI_MCA_btl_vader_single_copy_mechanism=none
# mpirun -np K gapsim ARGS...
job() {
  local k=$1
  shift
  "$MPIRUN" "${mpi_flags[@]}" -np "$k" "$gapsim" "$@"
}
