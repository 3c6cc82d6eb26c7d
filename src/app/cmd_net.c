#include "app/cli.h"

int cmd_connect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return usage_error("connect: not built yet");
}

int cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return usage_error("serve: not built yet");
}
