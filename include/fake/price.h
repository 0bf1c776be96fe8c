/**
 * @file fake/price.h
 * @brief Prices: how much a product costs, once or on a recurring interval.
 *        Create, retrieve, update, list.
 *
 * Amounts are integers in the currency's smallest unit (cents). Returned
 * prices are borrowed (see fake/common.h).
 */
#ifndef FAKE_PRICE_H
#define FAKE_PRICE_H

#include "common.h"
#include "list.h"
#include "product.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A price. Opaque. */
typedef struct fake_price fake_price;

/** A recurring price's billing interval. */
typedef enum fake_interval {
	FAKE_INTERVAL_NONE,  /**< one-time price */
	FAKE_INTERVAL_DAY,
	FAKE_INTERVAL_WEEK,
	FAKE_INTERVAL_MONTH,
	FAKE_INTERVAL_YEAR
} fake_interval;

/** How a recurring price is billed. */
typedef enum fake_usage_type {
	FAKE_USAGE_LICENSED, /**< per quantity, in advance (default) */
	FAKE_USAGE_METERED   /**< per recorded usage, in arrears */
} fake_usage_type;

#define FAKE_PRICE_LOOKUP_KEY_MAX 200
#define FAKE_PRICE_NICKNAME_MAX 5000
/** The largest unit_amount: Stripe's 99,999,999 in the smallest unit ($999,999.99). */
#define FAKE_PRICE_UNIT_AMOUNT_MAX INT64_C(99999999)

/** Params of fake_price_create(). */
typedef struct fake_price_create_params {
	unsigned int version;      /**< FAKE_PRICE_CREATE_PARAMS_VERSION */
	const char *currency;      /**< required: three letters, any case, stored lowercase, e.g. "usd" */
	int64_t unit_amount;       /**< required, 0 .. FAKE_PRICE_UNIT_AMOUNT_MAX; -1 means "not given" */
	const char *product;       /**< a product id; or give product_name instead */
	const char *product_name;  /**< product_data[name]: creates the product too */
	fake_interval interval;    /**< recurring[interval]; FAKE_INTERVAL_NONE for one-time */
	unsigned int interval_count; /**< recurring[interval_count]; 0 means 1; at most three years in all */
	fake_usage_type usage_type; /**< recurring[usage_type] */
	const char *lookup_key;
	bool transfer_lookup_key;  /**< take the lookup_key from the price that has it */
	const char *nickname;
	bool inactive;             /**< create with active = false */
	const fake_kv *metadata;
	size_t metadata_count;
} fake_price_create_params;

#define FAKE_PRICE_CREATE_PARAMS_VERSION 1
#define FAKE_PRICE_CREATE_PARAMS_INIT                                                                    \
	{ FAKE_PRICE_CREATE_PARAMS_VERSION, NULL, -1, NULL, NULL, FAKE_INTERVAL_NONE, 0, FAKE_USAGE_LICENSED, \
	  NULL, false, NULL, false, NULL, 0 }

/**
 * Creates a price (operation "create_price"); emits product.created first
 * when product_name is given, then price.created.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (missing or malformed currency, missing or
 *         negative unit_amount, neither or both of product and
 *         product_name, a recurring interval over three years, metered usage
 *         on a one-time price, a lookup_key already in use without
 *         transfer_lookup_key, bad metadata, bad version); FAKE_ENOTFOUND
 *         (unknown product); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_price_create(const fake_price **out, fake_processor *p, const fake_price_create_params *params,
				  const fake_request *request);

/**
 * Retrieves a price (operation "retrieve_price").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND ("No such price: 'price_x'").
 */
FAKE_EXTERN int fake_price_retrieve(const fake_price **out, fake_processor *p, const char *id,
				    const fake_request *request);

/** Params of fake_price_update(). Amounts and intervals cannot change (as Stripe). */
typedef struct fake_price_update_params {
	unsigned int version;      /**< FAKE_PRICE_UPDATE_PARAMS_VERSION */
	fake_active_change active;
	const char *lookup_key;    /**< "" clears */
	bool transfer_lookup_key;
	const char *nickname;      /**< "" clears */
	const fake_kv *metadata;
	size_t metadata_count;
	bool metadata_clear;
} fake_price_update_params;

#define FAKE_PRICE_UPDATE_PARAMS_VERSION 1
#define FAKE_PRICE_UPDATE_PARAMS_INIT \
	{ FAKE_PRICE_UPDATE_PARAMS_VERSION, FAKE_ACTIVE_UNCHANGED, NULL, false, NULL, NULL, 0, false }

/**
 * Updates a price (operation "update_price"); emits price.updated with
 * previous_attributes when anything changed (and, when a lookup key is
 * transferred, price.updated for the price that lost it, first).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (lookup key in use without transfer,
 *         transfer_lookup_key without a lookup_key, bad fields);
 *         FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_price_update(const fake_price **out, fake_processor *p, const char *id,
				  const fake_price_update_params *params, const fake_request *request);

/** Filter on a price's type for lists. */
typedef enum fake_price_type_filter {
	FAKE_PRICE_ANY_TYPE,
	FAKE_PRICE_ONE_TIME,
	FAKE_PRICE_RECURRING
} fake_price_type_filter;

/** Params of fake_price_list(). */
typedef struct fake_price_list_params {
	unsigned int version;  /**< FAKE_PRICE_LIST_PARAMS_VERSION */
	fake_list_params page;
	fake_active_filter active;
	const char *product;   /**< only this product's prices */
	const char *currency;
	fake_price_type_filter type;
	const char *lookup_key; /**< only the price with this lookup key */
} fake_price_list_params;

#define FAKE_PRICE_LIST_PARAMS_VERSION 1
#define FAKE_PRICE_LIST_PARAMS_INIT \
	{ FAKE_PRICE_LIST_PARAMS_VERSION, { 0, NULL, NULL }, FAKE_ACTIVE_ANY, NULL, NULL, FAKE_PRICE_ANY_TYPE, NULL }

/**
 * Lists prices, newest first (operation "list_prices").
 * @param out receives a page of `const fake_price *`.
 * @return 0; FAKE_EINVAL (bad page or filter); FAKE_ENOTFOUND (unknown
 *         cursor or product).
 */
FAKE_EXTERN int fake_price_list(fake_list *out, fake_processor *p, const fake_price_list_params *params,
				const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 / false for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_price_id(const fake_price *price);
FAKE_EXTERN int64_t fake_price_created(const fake_price *price);
FAKE_EXTERN const char *fake_price_product(const fake_price *price);
FAKE_EXTERN const char *fake_price_currency(const fake_price *price);
FAKE_EXTERN int64_t fake_price_unit_amount(const fake_price *price);
/** "one_time" or "recurring". Static. */
FAKE_EXTERN const char *fake_price_type(const fake_price *price);
/** FAKE_INTERVAL_NONE for one-time prices. */
FAKE_EXTERN fake_interval fake_price_interval(const fake_price *price);
/** "day", "week", "month", "year", or NULL for one-time prices. Static. */
FAKE_EXTERN const char *fake_price_interval_name(const fake_price *price);
/** 0 for one-time prices. */
FAKE_EXTERN unsigned int fake_price_interval_count(const fake_price *price);
FAKE_EXTERN fake_usage_type fake_price_usage_type(const fake_price *price);
FAKE_EXTERN const char *fake_price_lookup_key(const fake_price *price);
FAKE_EXTERN const char *fake_price_nickname(const fake_price *price);
FAKE_EXTERN bool fake_price_active(const fake_price *price);
FAKE_EXTERN const fake_metadata *fake_price_metadata(const fake_price *price);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
