/*
 * Internal structures of libfake. Nothing here is part of the public API.
 *
 * Memory model (see docs/design.md):
 *  - Objects, their strings and metadata, and event snapshots are carved
 *    from the processor's memory blocks (memory.c). They are immutable once
 *    published except for the live objects' own fields, and are released all
 *    at once by reset or free. An update never writes into a string or a
 *    metadata array: it builds new ones and swaps pointers, so a snapshot is
 *    a plain struct copy that shares them.
 *  - Tables that grow (the per-type object tables, which are the id index, the
 *    timeline heap, scripts, subscribers) use the instance allocator
 *    directly, since they are reallocated.
 *
 * Transactions (store.c): the default behaviour of every operation, and
 * each piece of timeline work, runs between fake__txn_begin() and either
 * success or fake__txn_rollback(). Rollback undoes everything: objects
 * created (their ids and their places in the tables), versions
 * written into existing objects with fake__object_commit() (the only way
 * an existing object changes), block allocations and timeline jobs.
 * Transactions never nest: stubs, subscribers and clock callbacks run
 * outside them. A declined payment is the one failure that is kept
 * (fake__ctx.keep): the attempt is recorded as Stripe records it and the
 * call still reports the decline.
 */
#ifndef FAKE_PRIVATE_H
#define FAKE_PRIVATE_H

#include <fake/fake.h>

#include <string.h>

#define FAKE__COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- memory (memory.c) ---------------------------------------------------- */

typedef struct fake__block {
	struct fake__block *prev; /* the block filled before this one */
	size_t size;              /* usable bytes in data */
	size_t used;              /* bytes handed out; used <= size */
	max_align_t data[];
} fake__block;

typedef struct fake__arena {
	fake__block *head;  /* the block being filled; NULL before the first allocation */
	fake__block *spare; /* released regular blocks kept for reuse, linked by prev */
	size_t spare_bytes; /* usable bytes on the spare list, at most SPARE_MAX */
	size_t block_size;  /* usable size of a regular block */
	size_t in_use;      /* usable bytes of the blocks from head down */
} fake__arena;

typedef struct fake__arena_mark {
	fake__block *head;
	size_t used;
} fake__arena_mark;

void *fake__malloc(fake_processor *p, size_t size);
void *fake__realloc(fake_processor *p, void *ptr, size_t size);
void fake__free(fake_processor *p, void *ptr);
/* Grows a vector of `*cap` items of `item` bytes to hold at least `need`. */
int fake__grow(fake_processor *p, void **items, size_t *cap, size_t need, size_t item);

void *fake__arena_alloc(fake_processor *p, size_t size);
void *fake__arena_calloc(fake_processor *p, size_t size);
/* Copies s into the arena. NULL stays NULL; failure sets *ok = false. */
const char *fake__arena_strdup(fake_processor *p, const char *s, bool *ok);
fake__arena_mark fake__arena_mark_get(const fake_processor *p);
void fake__arena_rollback(fake_processor *p, fake__arena_mark mark);
/* Releases every block (to the spare list, within its cap). */
void fake__arena_reset(fake_processor *p);
void fake__arena_free(fake_processor *p);

/* ---- objects and the store (store.c) -------------------------------------- */

enum {
	FAKE__LIVE = 1u << 0,    /* stored in its table (not a snapshot) */
	FAKE__DELETED = 1u << 1, /* a tombstone: retrievable, not listed */
};

/* The header every object starts with. */
typedef struct fake__object {
	fake_object_type type;
	unsigned int flags;    /* FAKE__LIVE, FAKE__DELETED */
	size_t pos;            /* index in its type table: creation order */
	const char *id;        /* arena string, never changes */
	int64_t created;
} fake__object;

typedef struct fake__table {
	fake__object **items; /* creation order; items[i]->pos == i */
	size_t len;
	size_t cap;
} fake__table;

/* A new object of `size` bytes in the arena, zeroed, header filled, id
 * assigned from the type's counter (rolled back with the transaction). */
void *fake__object_new(fake_processor *p, fake_object_type type, size_t size);
/* Makes an object live: appends it to its table, which is the id index. */
int fake__store_add(fake_processor *p, void *object);
/* Finds a live object by id, or NULL. */
fake__object *fake__store_find(const fake_processor *p, const char *id);
/* Finds a live object of `type`; on failure fills the error record with
 * Stripe's resource_missing wording for `param`. */
int fake__store_get(void **out, fake_processor *p, fake_object_type type, const char *id, const char *param);
/* As fake__store_get, but a deleted object is missing too. */
int fake__store_get_live(void **out, fake_processor *p, fake_object_type type, const char *id, const char *param);
/* Writes a new version (built as a copy of the live object, then changed)
 * into the live object, keeping its place in its table, and
 * keeps the old version in the transaction's undo log. FAKE_ENOMEM (the
 * object unchanged) when the log cannot grow. */
int fake__object_commit(fake_processor *p, void *live, const void *version);
/* A snapshot: a copy of `object` that is not live. */
void *fake__snapshot(fake_processor *p, const void *object);
const char *fake__object_noun(fake_object_type type);
const char *fake__object_prefix(fake_object_type type);
size_t fake__object_size(fake_object_type type);
/* Stripe's `object` string of a type, and back (FAKE_OBJECT_TYPE_COUNT if none). */
const char *fake__object_type_name(fake_object_type type);
fake_object_type fake__object_type_named(const char *name);

/* The versions a transaction overwrote, for rollback: items[i] names the
 * object and where its old bytes start in `bytes`. Emptied at each begin. */
typedef struct fake__undo {
	struct fake__undo_item {
		fake__object *live;
		size_t offset;
	} *items;
	size_t len;
	size_t cap;
	unsigned char *bytes;
	size_t bytes_len;
	size_t bytes_cap;
} fake__undo;

typedef struct fake__txn {
	fake__arena_mark arena;
	uint64_t job_seq;
	size_t created;    /* lengths of the created list and the undo log at the start */
	size_t undo;
	size_t undo_bytes;
} fake__txn;

/* Starts a transaction: the created list and the undo log start empty. */
void fake__txn_begin(fake_processor *p, fake__txn *txn);
/* Starts a transaction inside the current one (a savepoint): rolling it
 * back undoes only what was done since. */
void fake__txn_savepoint(fake_processor *p, fake__txn *txn);
void fake__txn_rollback(fake_processor *p, const fake__txn *txn);
void fake__store_clear(fake_processor *p);
void fake__store_free(fake_processor *p);

/* ---- ids (id.c) ----------------------------------------------------------- */

/* Writes prefix + number zero-padded to `width` into dst (if it fits) and
 * returns the length. */
size_t fake__id_write(char *dst, size_t size, const char *prefix, uint64_t number, unsigned int width);
/* Formats prefix + number zero-padded to the width into the arena. */
const char *fake__id_format(fake_processor *p, const char *prefix, uint64_t number);

/* ---- errors (error.c) ----------------------------------------------------- */

/* Clears the record (status 0) or replaces it with *e completed with its
 * status's defaults; either way the current request id is kept. */
void fake__error_clear(fake_processor *p);
void fake__error_replace(fake_processor *p, const fake_error *e);
/* Fills the record with status's defaults plus code/param/message. Returns status. */
int fake__error_set(fake_processor *p, int status, const char *code, const char *param, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
int fake__error_card(fake_processor *p, const char *decline_code, const char *param);
void fake__error_defaults(fake_error *e, int status);
int fake__error_nomem(fake_processor *p);
void fake__copy(char *dst, size_t size, const char *src);
/* The entry of `choices` equal to `given` (the table's static copy), or NULL. */
const char *fake__pick(const char *given, const char *const *choices, size_t count);
/* Equal strings, where NULL equals only NULL. */
bool fake__same(const char *a, const char *b);

/* ---- validation helpers (error.c) ----------------------------------------- */

int fake__check_version(fake_processor *p, unsigned int version, unsigned int current, const char *what);
/* A string parameter: valid UTF-8 (as Stripe requires) and at most max bytes. */
int fake__check_string(fake_processor *p, const char *s, size_t max, const char *param);
bool fake__utf8_valid(const char *s);
int fake__check_id(fake_processor *p, const char *id, const char *param);
/* A currency code: three ASCII letters, any case; `lower` receives it in lowercase. */
int fake__check_currency(fake_processor *p, const char *currency, char lower[4]);

/* ---- metadata (metadata.c) ------------------------------------------------ */

struct fake_metadata {
	size_t count;
	fake_kv items[]; /* arena strings */
};

extern const fake_metadata fake__metadata_empty;
int fake__metadata_check(fake_processor *p, const fake_kv *kv, size_t count);
/* Builds base merged with the changes (clear first if asked); "" deletes. */
int fake__metadata_merge(const fake_metadata **out, fake_processor *p, const fake_metadata *base,
			 const fake_kv *kv, size_t count, bool clear);
bool fake__metadata_equal(const fake_metadata *a, const fake_metadata *b);

/* ---- the pipeline (pipeline.c, script.c) ---------------------------------- */

typedef enum fake__result {
	FAKE__RESULT_OBJECT, /* out is const void ** */
	FAKE__RESULT_LIST    /* out is fake_list * */
} fake__result;

typedef struct fake__op_info {
	const char *name;
	fake__result result;
	fake_object_type type; /* the result object type */
	unsigned int outcomes; /* outcome scripts it accepts: bits 1 << FAKE_OUTCOME_* */
} fake__op_info;

const fake__op_info *fake__op_get(fake_op op);

/* What the default behaviour of an operation sees. */
typedef struct fake__ctx {
	fake_call call;
	fake_outcome outcome;          /* FAKE_OUTCOME_ERROR: no outcome forced */
	char decline_code[64];         /* for FAKE_OUTCOME_DECLINE */
	bool events;                   /* synthesize events for this call */
	bool keep;                     /* a failure that is the fake's behaviour (a
					  declined payment): keep what the call did */
	bool timeline;                 /* work the timeline runs: events carry no request */
	const char *request_id;        /* arena string, set lazily by events */
	struct fake_test_clock *complete; /* a test clock whose advance completes once this call commits */
} fake__ctx;

typedef int (*fake__op_fn)(void *out, fake_processor *p, fake__ctx *ctx);

/* The default behaviour of every retrieve: the object of the operation's
 * result type with the id the call names (tombstones included). */
int fake__op_retrieve(void *out, fake_processor *p, fake__ctx *ctx);
/* As fake__op_retrieve, but a deleted object is missing. */
int fake__op_retrieve_live(void *out, fake_processor *p, fake__ctx *ctx);

/* Runs one call through the pipeline: count, script, stub, default. */
int fake__op_run(fake_processor *p, fake_op op, const char *id, const void *params, const fake_request *request,
		 void *out, fake__op_fn fn);

typedef struct fake__script_entry {
	fake_script script;
	unsigned int times; /* calls left; 0: until cleared */
} fake__script_entry;

typedef struct fake__script_queue {
	fake__script_entry *items; /* FIFO: items[head..len) are pending */
	size_t head;
	size_t len;
	size_t cap;
} fake__script_queue;

typedef struct fake__stub {
	fake_stub_fn fn;
	void *user_data;
} fake__stub;

/* Pops the script that answers the next call of op into *out; false if none. */
bool fake__script_take(fake_processor *p, fake_op op, fake_script *out);
void fake__scripts_clear(fake_processor *p);
void fake__scripts_free(fake_processor *p);

/* ---- events (event.c) ----------------------------------------------------- */

typedef enum fake__event_type {
	FAKE__EVT_CUSTOMER_CREATED,
	FAKE__EVT_CUSTOMER_UPDATED,
	FAKE__EVT_CUSTOMER_DELETED,
	FAKE__EVT_PAYMENT_METHOD_ATTACHED,
	FAKE__EVT_PAYMENT_METHOD_DETACHED,
	FAKE__EVT_PAYMENT_METHOD_UPDATED,
	FAKE__EVT_PRODUCT_CREATED,
	FAKE__EVT_PRODUCT_UPDATED,
	FAKE__EVT_PRICE_CREATED,
	FAKE__EVT_PRICE_UPDATED,
	FAKE__EVT_PAYMENT_INTENT_CREATED,
	FAKE__EVT_PAYMENT_INTENT_REQUIRES_ACTION,
	FAKE__EVT_PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED,
	FAKE__EVT_PAYMENT_INTENT_SUCCEEDED,
	FAKE__EVT_PAYMENT_INTENT_PAYMENT_FAILED,
	FAKE__EVT_PAYMENT_INTENT_CANCELED,
	FAKE__EVT_CHARGE_SUCCEEDED,
	FAKE__EVT_CHARGE_FAILED,
	FAKE__EVT_CHARGE_CAPTURED,
	FAKE__EVT_CHARGE_REFUNDED,
	FAKE__EVT_REFUND_CREATED,
	FAKE__EVT_SETUP_INTENT_CREATED,
	FAKE__EVT_SETUP_INTENT_REQUIRES_ACTION,
	FAKE__EVT_SETUP_INTENT_SUCCEEDED,
	FAKE__EVT_SETUP_INTENT_SETUP_FAILED,
	FAKE__EVT_SETUP_INTENT_CANCELED,
	FAKE__EVT_SUBSCRIPTION_CREATED,
	FAKE__EVT_SUBSCRIPTION_UPDATED,
	FAKE__EVT_SUBSCRIPTION_DELETED,
	FAKE__EVT_SUBSCRIPTION_TRIAL_WILL_END,
	FAKE__EVT_SUBSCRIPTION_PAUSED,
	FAKE__EVT_SUBSCRIPTION_RESUMED,
	FAKE__EVT_INVOICE_CREATED,
	FAKE__EVT_INVOICE_UPDATED,
	FAKE__EVT_INVOICE_DELETED,
	FAKE__EVT_INVOICE_FINALIZED,
	FAKE__EVT_INVOICE_PAID,
	FAKE__EVT_INVOICE_PAYMENT_SUCCEEDED,
	FAKE__EVT_INVOICE_PAYMENT_FAILED,
	FAKE__EVT_INVOICE_PAYMENT_ACTION_REQUIRED,
	FAKE__EVT_INVOICE_VOIDED,
	FAKE__EVT_INVOICE_MARKED_UNCOLLECTIBLE,
	FAKE__EVT_INVOICE_SENT,
	FAKE__EVT_INVOICE_OVERDUE,
	FAKE__EVT_INVOICE_UPCOMING,
	FAKE__EVT_INVOICEITEM_CREATED,
	FAKE__EVT_INVOICEITEM_DELETED,
	FAKE__EVT_TEST_CLOCK_CREATED,
	FAKE__EVT_TEST_CLOCK_ADVANCING,
	FAKE__EVT_TEST_CLOCK_READY,
	FAKE__EVT_TEST_CLOCK_INTERNAL_FAILURE,
	FAKE__EVT_TEST_CLOCK_DELETED,
	FAKE__EVT_COUNT
} fake__event_type;

struct fake_event {
	fake__object obj;
	fake__event_type type;
	const void *object;          /* snapshot at the moment of the event */
	const void *previous;        /* snapshot before an update, or NULL */
	const char *const *changed;  /* static field names: previous_attributes keys */
	size_t changed_count;
	const char *request_id;      /* NULL for timeline work */
	unsigned int pending_webhooks; /* endpoints still owed a successful delivery */
};

/* Appends an event for `object` (snapshotted now). `previous` (may be NULL)
 * is snapshotted too. Does nothing when events are off for this call. */
int fake__event_emit(fake_processor *p, fake__ctx *ctx, fake__event_type type, const void *object,
		     const void *previous, const char *const *changed, size_t changed_count);
/* The names of the fields that differ (names[i] where differs[i]), as an
 * arena array for an *.updated event; *count is 0 when nothing changed.
 * Returns NULL with FAKE_ENOMEM in the error record on failure. */
const char *const *fake__event_changed(fake_processor *p, const char *const *names, const bool *differs, size_t n,
				       size_t *count);
/* The type of object an event of `type` carries (its data.object). */
fake_object_type fake__event_object_type(fake__event_type type);
/* The type with Stripe's name `name` ("invoice.paid"), or FAKE__EVT_COUNT. */
fake__event_type fake__event_type_named(const char *name);
/* Delivers undelivered events to subscribers, unless already delivering
 * (then the outer delivery loop gets to them). Cheap when there is nothing
 * to deliver; keeps the caller's error record. */
void fake__event_deliver(fake_processor *p);
void fake__events_clear(fake_processor *p);
void fake__events_free(fake_processor *p);

typedef struct fake__subscriber {
	fake_event_fn fn;
	void *user_data;
} fake__subscriber;

/* ---- lists (list.c) ------------------------------------------------------- */

typedef bool (*fake__filter_fn)(const fake__object *o, const void *ctx);

/* Validates page params and fills `out` from the type's table, newest
 * first, skipping deleted objects and those the filter rejects. */
int fake__list_page(fake_list *out, fake_processor *p, fake_object_type type, const fake_list_params *page,
		    fake__filter_fn filter, const void *filter_ctx);

/* Lists objects of `type` (newest first) whose customer field, a
 * `const char *` at `customer_offset` in their struct, is `customer`; all
 * of them when customer is NULL. An unknown customer is resource_missing. */
int fake__list_by_customer(fake_list *out, fake_processor *p, fake_object_type type, const fake_list_params *page,
			   const char *customer, size_t customer_offset);

/* ---- the timeline (clock.c) ----------------------------------------------- */

typedef enum fake__job_kind {
	FAKE__JOB_CALLBACK,     /* fn(p, due, user_data) */
	FAKE__JOB_SUBSCRIPTION, /* billing work of the subscription `object` */
	FAKE__JOB_INVOICE,      /* billing work of the invoice `object` */
	FAKE__JOB_WEBHOOK,      /* a webhook delivery retry: `object` is a fake__webhook_retry_job */
	FAKE__JOB_TEST_CLOCK    /* the test clock `object` reached deletes_after (processor timeline) */
} fake__job_kind;

typedef struct fake__job {
	int64_t due;
	uint64_t seq;        /* scheduling order, unique across timelines: the tie-breaker */
	fake__job_kind kind;
	fake_clock_fn fn;    /* FAKE__JOB_CALLBACK */
	void *object;        /* user_data, or the live subscription or invoice */
} fake__job;

/* A timeline: the processor clock's, or a test clock's (test_clock.c),
 * whose `now` is the clock's frozen_time. Each holds the work of the
 * objects that live on it. */
typedef struct fake__timeline {
	int64_t now;
	fake__job *heap;     /* binary min-heap on (due, seq) */
	size_t len;
	size_t cap;
	bool advancing;
} fake__timeline;

/* Adds a job to `t` (its seq assigned here from the processor's one
 * sequence); FAKE_ENOMEM without touching the error record. */
int fake__timeline_push(fake_processor *p, fake__timeline *t, const fake__job *job);
/* Schedules billing work for a live object at `due` on the current
 * timeline (p->clock: the one the object lives on; billing.c keeps the
 * object's job_due so that superseded jobs are skipped). */
int fake__timeline_schedule(fake_processor *p, int64_t due, fake__job_kind kind, void *object);
/* Runs the work of `t` due up to `until` in (due, seq) order, each piece
 * with the clock at its due time and p->clock on `t`; then t->now = until.
 * On a failure the piece is put back and the clock stays at its due time. */
int fake__timeline_run(fake_processor *p, fake__timeline *t, int64_t until);
/* Keeps one live job for a billing object: `due` (0: none; clamped to now)
 * becomes its job unless *job_due already names it; *job_due is set to it.
 * Jobs whose due time no longer matches the object's job_due are skipped. */
int fake__timeline_reschedule(fake_processor *p, int64_t due, fake__job_kind kind, void *object, int64_t *job_due);
/* Drops the jobs numbered seq and up from every timeline. */
void fake__timeline_rollback(fake_processor *p, uint64_t seq);
void fake__timeline_clear(fake_processor *p);
void fake__timeline_free(fake_processor *p);
/* Empties a timeline, keeping its memory. */
void fake__timeline_empty(fake__timeline *t, int64_t now);

/* ---- test clocks (test_clock.c) ------------------------------------------- */

struct fake_test_clock {
	fake__object obj;                /* created: processor time */
	const char *name;                /* NULL when not given */
	int64_t deletes_after;
	int64_t frozen_time;             /* == its timeline's now while ready */
	fake_test_clock_status status;
	int64_t target;                  /* while advancing: target_frozen_time; else 0 */
	unsigned int polls_left;         /* while advancing: retrievals before it completes */
	bool fail;                       /* while advancing: completes as internal_failure (scripted) */
};

/* Gives a stored clock an empty timeline at its frozen_time. */
int fake__test_clock_prepare(fake_processor *p, const struct fake_test_clock *clock);
/* The timeline of a test clock (its table position indexes p->clock_timelines). */
fake__timeline *fake__test_clock_timeline(const fake_processor *p, const struct fake_test_clock *clock);
/* The test clock an object lives on (through its customer), or NULL. */
const struct fake_test_clock *fake__test_clock_of(const fake_processor *p, const fake__object *o);
/* The operation running now runs on `clock`'s time (NULL: the processor
 * clock's) from here on. */
void fake__clock_enter(fake_processor *p, const struct fake_test_clock *clock);
/* Called with each object an operation looks up: the first that lives on a
 * test clock puts the operation on that clock (docs/test-clocks.md). */
void fake__clock_follow(fake_processor *p, const fake__object *o);
/* Runs a clock's advance to its target (the end of an op that completes
 * it): its work, then ready or internal_failure. */
int fake__test_clock_complete(fake_processor *p, struct fake_test_clock *clock);
/* A clock's deletes_after came (processor timeline job). */
int fake__test_clock_expire(fake_processor *p, struct fake_test_clock *clock);
/* Deletes a customer and cancels its subscriptions (customer.c), as
 * fake_customer_delete() does. */
int fake__customer_delete(fake_processor *p, fake__ctx *ctx, struct fake_customer *c);

/* ---- calendar (calendar.c) ------------------------------------------------ */

typedef struct fake__date {
	int year;
	int month;   /* 1..12 */
	int day;     /* 1..31 */
	int seconds; /* since midnight, 0..86399 */
} fake__date;

fake__date fake__date_from_unix(int64_t t);
int64_t fake__date_to_unix(fake__date d);
/* The end of period k counted from `anchor` (k = 0 is the anchor itself):
 * k * count intervals later, months clamped to the month's end and keeping
 * the anchor's day (Jan 31, Feb 28 or 29, Mar 31). INT64_MAX past the year 9999. */
int64_t fake__period_end(int64_t anchor, fake_interval interval, unsigned int count, uint64_t k);

/* ---- cards (card.c) ------------------------------------------------------- */

typedef struct fake__card {
	const char *number;
	const char *token;       /* suffix of tok_ / pm_card_ */
	fake_card_behavior behavior;
	const char *decline_code; /* NULL for cards that do not decline */
} fake__card;

const fake__card *fake__card_by_number(const char *number);
const fake__card *fake__card_by_token(const char *token);
bool fake__card_number_valid(const char *number);
const char *fake__card_brand(const char *number);
/* Stripe's error code and message for a decline code. */
const char *fake__decline_error_code(const char *decline_code);
const char *fake__decline_message(const char *decline_code);
bool fake__decline_known(const char *decline_code);
/* The table's own (static) copy of a decline code; generic_decline if unknown. */
const char *fake__decline_canonical(const char *decline_code);

/* How a card is used, and what comes of it (card.c). */
typedef enum fake__card_use {
	FAKE__USE_PAYMENT,             /* charged with the customer present */
	FAKE__USE_PAYMENT_OFF_SESSION, /* charged without the customer */
	FAKE__USE_SETUP                /* saved for later (setup intent) */
} fake__card_use;

typedef enum fake__card_result {
	FAKE__CARD_SUCCEEDS,
	FAKE__CARD_NEEDS_ACTION,       /* 3D Secure */
	FAKE__CARD_DECLINED            /* with a decline code */
} fake__card_result;

/* ---- resources ------------------------------------------------------------ */

struct fake_customer {
	fake__object obj;
	const char *email;
	const char *name;
	const char *description;
	const char *phone;
	const fake_metadata *metadata;     /* never NULL */
	const char *default_payment_method;
	const char *test_clock;
	int64_t balance;
};

typedef struct fake__card_details {
	const char *brand;
	const char *last4;
	const char *fingerprint;
	const char *funding;
	int exp_month;
	int exp_year;
	fake_card_behavior behavior;
	const char *decline_code;  /* static; NULL if the card does not decline */
} fake__card_details;

struct fake_payment_method {
	fake__object obj;
	const char *customer;      /* attached customer id, or NULL */
	fake__card_details card;
	const char *billing_name;
	const char *billing_email;
	const char *billing_phone;
	const fake_metadata *metadata; /* never NULL */
	bool authenticated;        /* passed 3D Secure with its customer: off-session
				      payments no longer need it (card ...3155) */
	bool detached;             /* detached from a customer: never usable again */
};

/* Resolves a payment method id or a pm_card_* test token: for a token a new
 * payment method is created (not yet attached). */
int fake__payment_method_resolve(fake_payment_method **out, fake_processor *p, const char *id, const char *param);
/* FAKE_EINVAL for a detached payment method, which Stripe never lets be
 * used again; else 0. */
int fake__payment_method_usable(fake_processor *p, const fake_payment_method *pm, const char *param);
/* A payment method may serve an intent for `customer` (NULL: none) when it
 * is usable and belongs to no customer or to that one; else FAKE_EINVAL. */
int fake__payment_method_check_owner(fake_processor *p, const char *customer, const fake_payment_method *pm);
/* The fallible half of attaching pm to customer: the checks (the card check
 * only with check_card), the payment_method.attached event, and the new
 * version in *next, which the caller writes with fake__object_commit()
 * once nothing else can fail. Attaching to its own customer again is a
 * no-op (*next equals *pm, no event). */
int fake__payment_method_attach_prepare(fake_processor *p, fake__ctx *ctx, const fake_payment_method *pm,
					const fake_customer *customer, bool check_card, fake_payment_method *next);
/* Both halves, for callers with nothing fallible after it (attach,
 * customer create). */
int fake__payment_method_attach(fake_processor *p, fake__ctx *ctx, fake_payment_method *pm,
				const fake_customer *customer);

struct fake_product {
	fake__object obj;
	const char *name;              /* never NULL */
	const char *description;
	bool active;
	int64_t updated;               /* time of the last change */
	const fake_metadata *metadata; /* never NULL */
};

struct fake_price {
	fake__object obj;
	const char *product;           /* product id, never NULL */
	const char *currency;          /* three lowercase letters */
	int64_t unit_amount;           /* 0 .. FAKE_PRICE_UNIT_AMOUNT_MAX */
	fake_interval interval;        /* FAKE_INTERVAL_NONE: one-time */
	unsigned int interval_count;   /* 0 for one-time, else >= 1 */
	fake_usage_type usage_type;
	const char *lookup_key;        /* unique among prices, or NULL */
	const char *nickname;
	bool active;
	const fake_metadata *metadata; /* never NULL */
};


/* Creates a product from validated params (product.c); used by prices'
 * product_data too. */
int fake__product_new(const fake_product **out, fake_processor *p, fake__ctx *ctx,
		      const fake_product_create_params *params);
/* `active` in update params and list filters, shared by products and
 * prices (error.c, with the other parameter checks). */
int fake__check_active_change(fake_processor *p, fake_active_change active);
bool fake__apply_active(fake_active_change active, bool current);
int fake__check_active_filter(fake_processor *p, fake_active_filter active);
bool fake__active_matches(fake_active_filter filter, bool active);

/* What comes of using pm: a script's forced outcome (ctx->outcome) if any,
 * else the card's behaviour (docs/payments.md has the table). A static
 * decline code is written to *decline_code for FAKE__CARD_DECLINED. */
fake__card_result fake__card_use_result(const fake__ctx *ctx, const fake_payment_method *pm, fake__card_use use,
					const char **decline_code);

struct fake_payment_intent {
	fake__object obj;
	const char *invoice;             /* the invoice it collects, or NULL */
	int64_t amount;
	int64_t amount_capturable;       /* authorized, not captured */
	int64_t amount_received;
	const char *currency;
	const char *customer;
	const char *payment_method;      /* NULL after a decline, as Stripe */
	fake_payment_intent_status status;
	fake_capture_method capture_method;
	const char *latest_charge;
	const char *last_error_code;     /* static strings; all NULL when no error */
	const char *last_error_decline_code;
	const char *last_error_message;
	const char *client_secret;
	const char *cancellation_reason;
	int64_t canceled_at;
	const char *description;
	const fake_metadata *metadata;   /* never NULL */
};

struct fake_charge {
	fake__object obj;
	const char *invoice;             /* its payment intent's invoice, or NULL */
	int64_t amount;
	int64_t amount_captured;
	int64_t amount_refunded;         /* <= amount; = amount once a released authorization */
	bool captured;
	bool refunded;
	bool paid;                       /* the charge succeeded */
	const char *currency;
	const char *customer;
	const char *payment_intent;
	const char *payment_method;
	const struct fake_payment_method *card; /* snapshot of the payment method when charged */
	const char *failure_code;        /* static; NULL unless failed */
	const char *failure_message;     /* static; NULL unless failed */
	const char *outcome_reason;      /* static decline code; NULL unless failed */
	const char *balance_transaction; /* NULL until captured */
};

struct fake_refund {
	fake__object obj;
	int64_t amount;
	const char *currency;
	const char *charge;
	const char *payment_intent;
	const char *reason;              /* static */
	const char *balance_transaction;
	const fake_metadata *metadata;   /* never NULL */
};

struct fake_balance_transaction {
	fake__object obj;
	int64_t amount;
	int64_t fee;
	const char *currency;
	const char *type;                /* static: "charge" or "refund" */
	const char *source;
};

struct fake_setup_intent {
	fake__object obj;
	const char *customer;
	const char *payment_method;      /* NULL after a decline, as Stripe */
	fake_setup_intent_status status;
	bool on_session;
	const char *last_error_code;     /* static strings; all NULL when no error */
	const char *last_error_decline_code;
	const char *last_error_message;
	const char *client_secret;
	const char *cancellation_reason; /* static */
	const char *description;
	const fake_metadata *metadata;   /* never NULL */
};

struct fake_webhook_endpoint {
	fake__object obj;
	const char *url;
	const char *const *enabled_events; /* arena strings; "*" enables all */
	size_t enabled_count;
	const char *secret;                /* "whsec_" + 32 hex from the id */
	bool disabled;
	fake_webhook_handler handler;
	void *user_data;
	const char *description;
	uint64_t attempts;                 /* deliveries made, retries included */
	uint64_t failures;                 /* of which the handler failed */
};

/* Delivers event e to every enabled endpoint that wants it (webhook_endpoint.c);
 * called by the delivery loop after the subscribers. */
void fake__webhook_deliver(fake_processor *p, struct fake_event *e);

/* The next delivery attempt of an event to an endpoint, on the timeline
 * (an arena struct: FAKE__JOB_WEBHOOK's object). */
typedef struct fake__webhook_retry_job {
	struct fake_webhook_endpoint *endpoint;
	struct fake_event *event;
	unsigned int attempt; /* 2 for the first retry */
} fake__webhook_retry_job;

/* Runs a retry that has come due (given up if the endpoint no longer wants the event). */
void fake__webhook_retry(fake_processor *p, const fake__webhook_retry_job *r);

/* Records money moving for `source` (charge.c): a new balance transaction
 * of `amount` with libfake's fee model when type is "charge". */
int fake__balance_transaction_new(const char **out_id, fake_processor *p, const char *type, const char *source,
				  int64_t amount, const char *currency);

/* Makes the charge of a payment attempt (charge.c): succeeded (captured
 * or only authorized) when decline_code is NULL, else failed with that
 * decline. Emits charge.succeeded or charge.failed. */
int fake__charge_new(struct fake_charge **out, fake_processor *p, fake__ctx *ctx,
		     const struct fake_payment_intent *pi, const fake_payment_method *pm, const char *decline_code,
		     bool capture);

/* ---- billing: subscriptions, invoices, the timeline's work -------------- */

struct fake_subscription_item {
	fake__object obj;
	const char *subscription;
	const struct fake_price *price;  /* the live price */
	int64_t quantity;                /* 0 for metered prices */
	const fake_metadata *metadata;   /* never NULL */
};

struct fake_usage_record {
	fake__object obj;
	const char *subscription_item;
	int64_t quantity;
	int64_t timestamp;
	fake_usage_action action;
};

struct fake_subscription {
	fake__object obj;
	const char *customer;
	fake_subscription_status status;
	const char *currency;
	fake_interval interval;          /* shared by every item */
	unsigned int interval_count;
	/* The current items, as immutable versions in the order added: an
	 * update builds a new array, so snapshots keep theirs. */
	const struct fake_subscription_item *const *items;
	size_t item_count;
	int64_t billing_cycle_anchor;
	uint64_t cycle;                  /* current_period_end = period k = cycle from the anchor */
	int64_t current_period_start;
	int64_t current_period_end;
	int64_t start_date;
	int64_t trial_start;
	int64_t trial_end;
	bool trial_will_end_done;        /* trial_will_end emitted for this trial */
	int64_t upcoming_for;            /* the renewal whose invoice.upcoming was sent; 0: none */
	fake_trial_end_behavior trial_missing_payment_method;
	bool cancel_at_period_end;
	int64_t cancel_at;
	int64_t canceled_at;
	int64_t ended_at;
	const char *latest_invoice;
	const char *default_payment_method;
	fake_collection_method collection_method;
	unsigned int days_until_due;
	fake_pause_behavior pause_collection;
	int64_t pause_resumes_at;
	const char *description;
	const fake_metadata *metadata;   /* never NULL */
	int64_t job_due;                 /* due time of its live timeline job; 0: none */
};

struct fake_invoice_line {
	fake__object obj;                /* il_fake_ id; lines are not stored on their own */
	int64_t amount;
	const char *currency;
	const char *description;
	const struct fake_price *price;
	int64_t quantity;
	bool proration;
	int64_t period_start;
	int64_t period_end;
	const char *invoice_item;        /* type "invoiceitem" when set, else "subscription" */
	const char *subscription_item;
};

struct fake_invoice {
	fake__object obj;                /* id NULL for a preview */
	const char *customer;
	const char *subscription;
	fake_invoice_status status;
	fake_billing_reason billing_reason;
	fake_collection_method collection_method;
	const char *currency;
	const char *number;
	const struct fake_invoice_line *const *lines; /* immutable array, replaced on change */
	size_t line_count;
	int64_t subtotal;
	int64_t total;
	int64_t amount_due;
	int64_t amount_paid;
	int64_t amount_remaining;
	unsigned int attempt_count;
	bool attempted;
	int64_t first_failure;           /* when the first automatic attempt failed; 0: none */
	unsigned int failures;           /* automatic attempts that failed (dunning) */
	int64_t next_payment_attempt;
	int64_t period_start;
	int64_t period_end;
	unsigned int days_until_due;
	int64_t due_date;
	bool overdue_done;
	bool auto_advance;
	int64_t finalize_at;             /* auto_advance drafts finalize then */
	bool paid_out_of_band;
	const char *payment_intent;
	const char *charge;
	const char *default_payment_method;
	int64_t finalized_at;
	int64_t paid_at;
	int64_t voided_at;
	int64_t marked_uncollectible_at;
	const char *description;
	const fake_metadata *metadata;   /* never NULL */
	int64_t job_due;
};

struct fake_invoice_item {
	fake__object obj;
	const char *customer;
	int64_t amount;
	const char *currency;
	const struct fake_price *price;  /* NULL for amount-only items */
	int64_t quantity;
	int64_t unit_amount;
	const char *invoice;             /* NULL while pending */
	const char *subscription;
	const char *subscription_item;
	bool proration;
	int64_t period_start;
	int64_t period_end;
	const char *description;
	const fake_metadata *metadata;   /* never NULL */
};

/* Resolves a price param: an existing recurring (or one-time) price by id,
 * or price_data, which creates an inactive price (price.c). */
int fake__price_resolve(const struct fake_price **out, fake_processor *p, fake__ctx *ctx, const char *price,
			const fake_price_data *data, bool recurring, const char *param);

/* Payment intents made by invoices (payment_intent.c). */
int fake__payment_intent_new(struct fake_payment_intent **out, fake_processor *p, fake__ctx *ctx, int64_t amount,
			     const char *currency, const char *customer, const char *invoice, const char *description);
/* One payment attempt with pm: 0 (succeeded, or requires_action: see the
 * intent's status), FAKE_ECARD (declined, recorded, ctx->keep set), or a failure. */
int fake__payment_intent_attempt(fake_processor *p, fake__ctx *ctx, struct fake_payment_intent *pi,
				 fake_payment_method *pm, bool off_session);
int fake__payment_intent_cancel(fake_processor *p, fake__ctx *ctx, struct fake_payment_intent *pi, const char *reason);

/* Invoices (invoice.c). A new draft for `customer` with the given lines
 * (arena array of new lines) and the customer's pending items (of `sub`
 * only, when sub is set); invoice.created emitted. */
typedef struct fake__invoice_spec {
	const char *customer;
	const struct fake_subscription *sub;
	fake_billing_reason reason;
	fake_collection_method collection_method;
	unsigned int days_until_due;
	const char *currency;
	int64_t period_start;
	int64_t period_end;
	const struct fake_invoice_line *const *lines;
	size_t line_count;
	bool pending_items;              /* pull in pending invoice items */
	bool auto_advance;
	int64_t finalize_at;
	const char *default_payment_method; /* by hand only; else NULL */
	const char *description;            /* arena string or NULL */
	const fake_metadata *metadata;      /* NULL: none */
} fake__invoice_spec;

int fake__invoice_new(struct fake_invoice **out, fake_processor *p, fake__ctx *ctx, const fake__invoice_spec *spec);
/* A new line (il_fake_ id) in the arena. */
struct fake_invoice_line *fake__invoice_line_new(fake_processor *p, int64_t amount, const char *currency,
						 const char *description, const struct fake_price *price,
						 int64_t quantity, int64_t period_start, int64_t period_end);
/* The line an invoice item becomes on an invoice. */
struct fake_invoice_line *fake__invoice_item_line(fake_processor *p, const struct fake_invoice_item *ii);
/* Gives `next` its lines plus `add` (may be NULL) minus the line of
 * invoice item `drop_item` (may be NULL), with totals to match. */
int fake__invoice_relines(fake_processor *p, struct fake_invoice *next, const struct fake_invoice_line *add,
			  const char *drop_item);
/* Writes `next` into the live invoice with its timeline job rescheduled. */
int fake__invoice_commit(fake_processor *p, struct fake_invoice *inv, struct fake_invoice *next);
int fake__invoice_schedule(fake_processor *p, struct fake_invoice *next, struct fake_invoice *live);
/* Finalizes a draft: open (or paid when nothing is due), number, payment
 * intent; invoice.finalized. */
int fake__invoice_finalize(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv);
/* One payment attempt on an open invoice with pm_id (NULL: the invoice's,
 * subscription's or customer's default), settled with its events and its
 * subscription told. `automatic` attempts follow the dunning schedule and
 * a decline is not the caller's failure (0); otherwise a decline returns
 * FAKE_ECARD with ctx->keep, as a declined payment intent does. */
int fake__invoice_collect(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv, const char *pm_id,
			  bool off_session, bool automatic);
/* The customer completed a payment of the invoice's payment intent
 * (3D Secure, or a confirmation by hand): the invoice is paid. */
int fake__invoice_paid_by(fake_processor *p, fake__ctx *ctx, const struct fake_payment_intent *pi);
int fake__invoice_void(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv);
int fake__invoice_mark_uncollectible(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv);
/* Finalizes a draft and collects it at once (or sends it), as automatic
 * collection does. */
int fake__invoice_advance(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv, bool off_session,
			  bool automatic);
/* Timeline work of an invoice: finalize an auto_advance draft, retry a
 * payment, notice an overdue send_invoice invoice. */
int fake__invoice_due(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv);
/* A pending proration item for `item` of `sub` (invoice_item.c). */
int fake__invoice_item_proration(fake_processor *p, fake__ctx *ctx, const struct fake_subscription *sub,
				 const struct fake_subscription_item *item, int64_t amount, const char *description,
				 int64_t period_start, int64_t period_end);

/* Subscriptions (subscription.c, billing.c). */
/* What an invoice's payment means for its subscription (billing.c):
 * paid, failed (automatic attempts count towards dunning), needs action,
 * or its retries ran out. */
int fake__subscription_invoice_paid(fake_processor *p, fake__ctx *ctx, const struct fake_invoice *inv);
int fake__subscription_invoice_failed(fake_processor *p, fake__ctx *ctx, const struct fake_invoice *inv,
				      bool exhausted);
int fake__subscription_invoice_overdue(fake_processor *p, fake__ctx *ctx, const struct fake_invoice *inv);
/* The invoice the subscription would make next, not stored (billing.c). */
int fake__subscription_preview(struct fake_invoice **out, fake_processor *p, const struct fake_subscription *sub);
/* The first invoice of a new subscription, by payment_behavior (billing.c). */
int fake__subscription_start(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub,
			     fake_payment_behavior behavior);
/* Ends the trial now; `immediate` charges at once (an update), else after the finalize delay. */
int fake__subscription_end_trial(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub, bool immediate);
/* Invoices pending items (and metered usage so far when `usage`) now, charged at once. */
int fake__subscription_invoice_now(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub,
				   fake_billing_reason reason, bool usage);
/* Ends the subscription: canceled (customer.subscription.deleted) or incomplete_expired. */
int fake__subscription_end(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub,
			   fake_subscription_status status);
/* A paused subscription starts a new period now, invoiced and charged. */
int fake__subscription_resume(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub);
/* Timeline work of a subscription (billing.c). */
int fake__subscription_due(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub);
/* Writes `next` into `sub` with its timeline job rescheduled. */
int fake__subscription_commit(fake_processor *p, struct fake_subscription *sub, struct fake_subscription *next);
/* Runs one timeline job in its own transaction (billing.c). */
int fake__billing_run(fake_processor *p, const fake__job *job);
/* Canceled or incomplete_expired: nothing more is billed (subscription.c). */
bool fake__subscription_ended(const struct fake_subscription *sub);
/* The product's name for invoice lines (price.c). */
const char *fake__product_name(const fake_processor *p, const struct fake_price *price);
/* collection_method and days_until_due, as invoices and subscriptions take
 * them (invoice.c); the days an invoice is due after, 0 unless send_invoice. */
int fake__check_collection(fake_processor *p, fake_collection_method method, unsigned int days_until_due);
unsigned int fake__days_until_due(fake_collection_method method, unsigned int days_until_due);
/* The period amount of an item (unit_amount x quantity; 0 for metered). */
int64_t fake__item_amount(const struct fake_subscription_item *item);
/* Usage of a metered item within [start, end) (subscription.c). */
int64_t fake__item_usage(const fake_processor *p, const struct fake_subscription_item *item, int64_t start,
			 int64_t end);
/* a x num / den rounded half up, without overflow for den > 0. */
int64_t fake__prorate(int64_t a, int64_t num, int64_t den);

/* ---- the processor (processor.c) ------------------------------------------ */

/* 0 when options are valid for fake_processor_new(), else FAKE_EINVAL. */
int fake__options_check(const fake_processor_options *o);

struct fake_processor {
	fake_processor_options options;
	fake_allocator alloc;
	fake__arena arena;

	fake__table tables[FAKE_OBJECT_TYPE_COUNT];
	uint64_t counters[FAKE_OBJECT_TYPE_COUNT];     /* last id number used, per type */
	fake__object **created;       /* objects created by the current transaction, in order */
	size_t created_len;
	size_t created_cap;
	fake__undo undo;              /* versions the current transaction overwrote */
	fake__object *last_snapshot;  /* the last snapshot taken (store.c), shared while unchanged */
	const void *last_snapshot_of; /* the object it was taken of */

	fake__timeline timeline;      /* the processor clock's */
	fake__timeline *clock;        /* the timeline the current work runs on (its now is "now") */
	bool clock_fixed;             /* the current operation's clock is decided */
	uint64_t job_seq;             /* next job sequence number, shared by every timeline */
	fake__timeline **clock_timelines; /* test clock timelines by table position; allocated
					     ones are kept (and reused) until the processor is freed */
	size_t clock_timeline_count;

	size_t delivered;             /* events[0..delivered) went to subscribers */
	bool delivering;
	fake__subscriber *subscribers;
	size_t subscriber_count;
	size_t subscriber_cap;

	uint64_t calls[FAKE_OP_COUNT];
	fake__script_queue scripts[FAKE_OP_COUNT];
	fake__stub stubs[FAKE_OP_COUNT];

	/* The error record: *error is current. Each top-level call switches to
	 * the other buffer, so the previous call's record (and any id or
	 * param the caller passes from it) stays intact during the call. */
	fake_error errors[2];
	fake_error *error;            /* &errors[0] or &errors[1] */
	uint64_t requests;            /* request counter, for request ids */
	char request_id[32];          /* the last request id issued: "req_fake_" + requests */
	int depth;                    /* nesting of operations and callbacks */
	bool quiet;                   /* timeline work records no events (fake_subscription_advance) */
	uint64_t prng;
};

/* The time of the work being done: the processor clock's, or the test
 * clock's of the objects it acts on. */
static inline int64_t fake__now(const fake_processor *p)
{
	return p->clock->now;
}

#endif
