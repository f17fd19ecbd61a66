/* Counts the xruns a JACK server reports while it runs, independently of the
 * client under test: jack_xruns SECONDS [SERVER_NAME]
 * Prints "ready" once registered, then after SECONDS (or on SIGTERM/SIGINT) one
 * line "xruns N". Exit 2 if the server cannot be reached. */
#include <jack/jack.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static atomic_int xruns;
static volatile sig_atomic_t stop_now;

static int on_xrun(void* arg) {
  (void)arg;
  atomic_fetch_add(&xruns, 1);
  return 0;
}

static void on_signal(int sig) {
  (void)sig;
  stop_now = 1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: jack_xruns SECONDS [SERVER_NAME]\n");
    return 2;
  }
  double seconds = atof(argv[1]);
  jack_status_t status;
  jack_options_t opts = JackNoStartServer;
  jack_client_t* c = argc > 2 ? jack_client_open("xrun_counter", opts | JackServerName, &status, argv[2])
                              : jack_client_open("xrun_counter", opts, &status);
  if (!c) {
    fprintf(stderr, "jack_xruns: cannot connect to the JACK server (status 0x%x)\n", (unsigned)status);
    return 2;
  }
  jack_set_xrun_callback(c, on_xrun, NULL);
  if (jack_activate(c) != 0) {
    fprintf(stderr, "jack_xruns: cannot activate\n");
    return 2;
  }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  printf("ready\n");
  fflush(stdout);
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    usleep(20000);
    clock_gettime(CLOCK_MONOTONIC, &t);
    double el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) * 1e-9;
    if (stop_now || el >= seconds) break;
  }
  printf("xruns %d\n", atomic_load(&xruns));
  fflush(stdout);
  jack_deactivate(c);
  jack_client_close(c);
  return 0;
}
