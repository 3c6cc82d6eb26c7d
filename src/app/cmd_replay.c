/* tlsstep replay: placeholder until src/replay lands. */
#include "app/cli.h"

int cmd_replay(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return usage_error("replay is not available yet");
}
