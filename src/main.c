/* tlsstep: the command line. Picks the subcommand; each lives in src/app/. */
#include "app/cli.h"
#include "app/files.h"
#include "ui/lesson.h"

#include <stdio.h>
#include <string.h>

static void help(void)
{
	puts("Usage: tlsstep [OPTIONS]                 step through a simulated TLS 1.2 or 1.3 handshake\n"
	     "       tlsstep scenarios                 list the scenarios\n"
	     "       tlsstep connect HOST:PORT [...]   handshake with a real TLS 1.3 or 1.2 server\n"
	     "       tlsstep serve PORT [...]          handshake with a real TLS 1.3 or 1.2 client\n"
	     "       tlsstep replay FILE [...]         step through a recorded capture\n"
	     "       tlsstep bench [...]               handshakes per second\n"
	     "       tlsstep compare [...]             TLS 1.2 and TLS 1.3 side by side, same seed\n"
	     "\n"
	     "Options (simulation):\n"
	     "  --scenario NAME        what the client and server do (default rsa)\n"
	     "  --tls 1.2|1.3          the protocol version (default 1.2; 1.3 alone runs scenario tls13)\n"
	     "  --seed N               every random byte comes from N (default 1)\n"
	     "  --time ISO8601         the simulated clock (default 2026-01-01T00:00:00Z)\n"
	     "  --step N               stop at (plain/json) or open at (TUI) step N\n"
	     "  --plain                annotated text (default when not on a terminal)\n"
	     "  --json                 one JSON object\n"
	     "  --record FILE.pcap     write the connection as a pcap for Wireshark\n"
	     "  --keylog FILE          write the NSS key log line for that pcap\n"
	     "  --html FILE            write the handshake as one self-contained web page\n"
	     "  --tamper STEP:OFFSET[:XOR]  flip bits of a byte on the wire in STEP\n"
	     "  --accept-untrusted     the client skips its certificate check\n"
	     "  --autoplay SECONDS     TUI: advance by itself\n"
	     "  --predict              questions before each step, answers scored (also replay, connect);\n"
	     "                         with --plain one letter a line on stdin, ending 'score: N/M'\n"
	     "  --no-lessons           hide the lesson text\n"
	     "  --ascii                TUI: ASCII line drawing\n"
	     "  --data-dir DIR         where lessons/ and assets/ are\n"
	     "  -h, --help             this help\n"
	     "  --version              print the version\n"
	     "\n"
	     "Exit status: 0 handshake established, 1 failed handshake or unreadable input, 2 usage error.\n"
	     "Run 'tlsstep COMMAND --help' for the options of a command.");
}

int main(int argc, char **argv)
{
	lesson_set_reader(data_lesson_read);
	if (argc > 1 && argv[1][0] != '-') {
		const char *cmd = argv[1];
		if (!strcmp(cmd, "scenarios"))
			return cmd_scenarios(argc - 1, argv + 1);
		if (!strcmp(cmd, "connect"))
			return cmd_connect(argc - 1, argv + 1);
		if (!strcmp(cmd, "serve"))
			return cmd_serve(argc - 1, argv + 1);
		if (!strcmp(cmd, "bench"))
			return cmd_bench(argc - 1, argv + 1);
		if (!strcmp(cmd, "replay"))
			return cmd_replay(argc - 1, argv + 1);
		if (!strcmp(cmd, "compare"))
			return cmd_compare(argc - 1, argv + 1);
		return app_usage_error("unknown command '%s'", cmd);
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help();
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("tlsstep %s\n", TLSSTEP_VERSION);
			return 0;
		}
	}
	return cmd_simulate(argc, argv);
}
