/*
 * A program built only from an installed libfake: its headers, libfake.pc
 * and its shared library (tests/install/test_install.sh builds and runs it).
 * Exits 0 when the first customer of a new processor is cus_fake_00001.
 */
#include <fake/fake.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
	fake_processor *p = NULL;
	const fake_customer *c = NULL;
	int rc = fake_processor_new(&p, NULL);
	if (rc != 0) {
		fprintf(stderr, "fake_processor_new: %s\n", fake_status_name(rc));
		return 1;
	}
	rc = fake_customer_create(&c, p, NULL, NULL);
	if (rc != 0) {
		fprintf(stderr, "fake_customer_create: %s: %s\n", fake_status_name(rc), fake_error_last(p)->message);
		fake_processor_free(p);
		return 1;
	}
	const char *id = fake_customer_id(c);
	printf("%s\n", id ? id : "(null)");
	int ok = id && strcmp(id, "cus_fake_00001") == 0;
	fake_processor_free(p);
	return ok ? 0 : 1;
}
