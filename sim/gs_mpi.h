/* gs_mpi.h: the program's MPI layer (built with -DGAPSIM_MPI=ON).
 *
 * Started by mpirun (or srun), every process of the job runs the same
 * command; gs_mpi_start makes them a gs_job (gs_job.h) so that runs, sweeps,
 * backtests and calibrations share their work, and silences every process
 * but process 0.  Started on its own, the program does not touch MPI at all
 * and runs as a single process.  See docs/cluster.md. */
#ifndef GS_MPI_H
#define GS_MPI_H

/* Before anything else in main(). */
void gs_mpi_start(int *argc, char ***argv);
/* At the end of main() with the command's exit status: waits for the other
 * processes and returns the job's exit status for this process.  A process
 * whose command failed while the others still work (its failure is its
 * own) prints what it would have printed and stops the whole job. */
int gs_mpi_finish(int status);

#endif
