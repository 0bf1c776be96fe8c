/* The example in README.md, kept here so the build proves it compiles and a test runs it. */
#include <fake/fake.h>
#include <stdio.h>

int main(void)
{
	fake_processor *p = NULL;
	if (fake_processor_new(&p, NULL) != 0)
		return 1;

	fake_customer_create_params params = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	params.email = "ada@example.com";
	params.payment_method = "pm_card_visa"; /* Stripe's test token: attached on create */
	const fake_customer *c = NULL;
	if (fake_customer_create(&c, p, &params, NULL) != 0) {
		fprintf(stderr, "%s\n", fake_error_last(p)->message);
		fake_processor_free(p);
		return 1;
	}
	printf("created %s\n", fake_customer_id(c)); /* cus_fake_00001, every run */

	fake_clock_advance(p, 86400); /* one virtual day; no real time passes */

	fake_list_iter it;
	const void *e;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_EVENTS, NULL, NULL);
	while (fake_list_iter_next(&e, &it) == 0) /* newest first */
		printf("%s %s %s\n", fake_event_id(e), fake_event_type(e), fake_object_id(fake_event_object(e)));

	fake_processor_free(p);
	return 0;
}
