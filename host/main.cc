// The `switchboard` executable.
#include "cli/cli.h"

int main(int argc, char** argv) { return sb::cli::RunCli(argc, argv); }
