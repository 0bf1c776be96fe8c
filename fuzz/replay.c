/*
 * Runs the fuzz target over files without libFuzzer: `replay FILE...`.
 * The test suite replays the committed corpus with it (fuzz/meson.build),
 * so every input that once found a bug stays a regression test. With
 * `--seeds` first, each file must also load: the seeds are snapshots that
 * libfake wrote, and one that no longer loads means the format moved on
 * without them (fuzz/README: how to write them again).
 */
#include <fake/fake.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 0 when data loads into a new processor; else prints why. */
static int loads(const char *name, const uint8_t *data, size_t size)
{
	fake_processor *p = NULL;
	if (fake_processor_new(&p, NULL))
		return 1;
	int rc = fake_processor_load_string(p, (const char *)data, size);
	if (rc)
		printf("# %s does not load: %s\n", name, fake_error_last(p)->message);
	fake_processor_free(p);
	return rc;
}

int main(int argc, char **argv)
{
	bool seeds = argc > 1 && strcmp(argv[1], "--seeds") == 0;
	int failed = 0, first = seeds ? 2 : 1;
	for (int i = first; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		uint8_t *data = NULL;
		size_t size = 0, cap = 0, n;
		do {
			if (size == cap) {
				cap = cap ? 2 * cap : 65536;
				uint8_t *grown = realloc(data, cap);
				if (!grown) {
					free(data);
					fclose(f);
					return 1;
				}
				data = grown;
			}
			n = fread(data + size, 1, cap - size, f);
			size += n;
		} while (n);
		fclose(f);
		LLVMFuzzerTestOneInput(data, size);
		bool ok = !seeds || loads(argv[i], data, size) == 0;
		free(data);
		failed += !ok;
		printf("%s %d - %s\n", ok ? "ok" : "not ok", i - first + 1, argv[i]);
	}
	printf("1..%d\n", argc - first);
	return failed != 0;
}
