/*
 * Runs the fuzz target over files without libFuzzer: `replay FILE...`.
 * The test suite replays the committed corpus with it (fuzz/meson.build),
 * so every input that once found a bug stays a regression test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
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
		free(data);
		printf("ok %d - %s\n", i, argv[i]);
	}
	printf("1..%d\n", argc - 1);
	return 0;
}
