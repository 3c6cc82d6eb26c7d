#include "ui/tui.h"

#include <stdio.h>

int tui_run(const tui_options *o)
{
	(void)o;
	fputs("tlsstep: the interactive view is not built yet; use --plain or --json\n", stderr);
	return 2;
}
