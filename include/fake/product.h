/**
 * @file fake/product.h
 * @brief Products: what a price sells. Create, retrieve, update, list.
 *
 * Returned products are borrowed (see fake/common.h).
 */
#ifndef FAKE_PRODUCT_H
#define FAKE_PRODUCT_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A product. Opaque. */
typedef struct fake_product fake_product;

#define FAKE_PRODUCT_NAME_MAX 5000
#define FAKE_PRODUCT_DESCRIPTION_MAX 40000

/** Params of fake_product_create(). */
typedef struct fake_product_create_params {
	unsigned int version;    /**< FAKE_PRODUCT_CREATE_PARAMS_VERSION */
	const char *name;        /**< required, non-empty */
	const char *description;
	bool inactive;           /**< create with active = false (Stripe's active defaults to true) */
	const fake_kv *metadata;
	size_t metadata_count;
} fake_product_create_params;

#define FAKE_PRODUCT_CREATE_PARAMS_VERSION 1
#define FAKE_PRODUCT_CREATE_PARAMS_INIT { FAKE_PRODUCT_CREATE_PARAMS_VERSION, NULL, NULL, false, NULL, 0 }

/**
 * Creates a product (operation "create_product"); emits product.created.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (missing or over-long name, over-long description,
 *         bad metadata, bad version); FAKE_ENOMEM; a scripted/stubbed status.
 */
FAKE_EXTERN int fake_product_create(const fake_product **out, fake_processor *p,
				    const fake_product_create_params *params, const fake_request *request);

/**
 * Retrieves a product (operation "retrieve_product").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND ("No such product: 'prod_x'").
 */
FAKE_EXTERN int fake_product_retrieve(const fake_product **out, fake_processor *p, const char *id,
				      const fake_request *request);

/** Whether an update changes `active`. */
typedef enum fake_active_change {
	FAKE_ACTIVE_UNCHANGED, /**< leave it */
	FAKE_ACTIVE_SET,       /**< make it active */
	FAKE_ACTIVE_CLEAR      /**< make it inactive (archive) */
} fake_active_change;

/** Params of fake_product_update(). NULL / unchanged fields are left alone. */
typedef struct fake_product_update_params {
	unsigned int version;  /**< FAKE_PRODUCT_UPDATE_PARAMS_VERSION */
	const char *name;      /**< cannot be cleared ("" is FAKE_EINVAL) */
	const char *description; /**< "" clears */
	fake_active_change active;
	const fake_kv *metadata;
	size_t metadata_count;
	bool metadata_clear;
} fake_product_update_params;

#define FAKE_PRODUCT_UPDATE_PARAMS_VERSION 1
#define FAKE_PRODUCT_UPDATE_PARAMS_INIT \
	{ FAKE_PRODUCT_UPDATE_PARAMS_VERSION, NULL, NULL, FAKE_ACTIVE_UNCHANGED, NULL, 0, false }

/**
 * Updates a product (operation "update_product"); emits product.updated
 * with previous_attributes when anything changed.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_product_update(const fake_product **out, fake_processor *p, const char *id,
				    const fake_product_update_params *params, const fake_request *request);

/** Filter on `active` for lists. */
typedef enum fake_active_filter {
	FAKE_ACTIVE_ANY,      /**< no filter */
	FAKE_ACTIVE_ONLY,     /**< active = true */
	FAKE_INACTIVE_ONLY    /**< active = false */
} fake_active_filter;

/** Params of fake_product_list(). */
typedef struct fake_product_list_params {
	unsigned int version;  /**< FAKE_PRODUCT_LIST_PARAMS_VERSION */
	fake_list_params page;
	fake_active_filter active;
} fake_product_list_params;

#define FAKE_PRODUCT_LIST_PARAMS_VERSION 1
#define FAKE_PRODUCT_LIST_PARAMS_INIT { FAKE_PRODUCT_LIST_PARAMS_VERSION, { 0, NULL, NULL }, FAKE_ACTIVE_ANY }

/**
 * Lists products, newest first (operation "list_products").
 * @param out receives a page of `const fake_product *`.
 * @return 0; FAKE_EINVAL (bad page, bad filter); FAKE_ENOTFOUND (unknown cursor).
 */
FAKE_EXTERN int fake_product_list(fake_list *out, fake_processor *p, const fake_product_list_params *params,
				  const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 / false for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_product_id(const fake_product *product);
FAKE_EXTERN int64_t fake_product_created(const fake_product *product);
/** Processor time of the last change. */
FAKE_EXTERN int64_t fake_product_updated(const fake_product *product);
FAKE_EXTERN const char *fake_product_name(const fake_product *product);
FAKE_EXTERN const char *fake_product_description(const fake_product *product);
FAKE_EXTERN bool fake_product_active(const fake_product *product);
FAKE_EXTERN const fake_metadata *fake_product_metadata(const fake_product *product);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
