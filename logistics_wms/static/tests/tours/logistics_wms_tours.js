import { registry } from "@web/core/registry";
import { openMenuSteps } from "@logistics_integration/../tests/tours/steps";

// A warehouse manager reviews the stock a 3PL counted: opens its latest snapshot, looks at
// the differences with Odoo, and applies the one of "Tour floor tile" to Odoo's stock. The
// test makes the snapshot (the 3PL counts 4 tiles fewer than Odoo has).
registry.category("web_tour.tours").add("logistics_wms_manager_applies_differences", {
    steps: () => [
        ...openMenuSteps(
            "stock.menu_stock_root",
            "logistics_wms.logistics_wms_menu",
            "logistics_wms.logistics_wms_snapshot_menu"
        ),
        {
            content: "Open the 3PL's snapshot to review",
            trigger: ".o_data_row:contains('Tour Keystone 3PL') td[name=name]",
            run: "click",
        },
        {
            content: "Review its differences",
            trigger: ".o_form_view button[name=action_open_differences].btn-primary",
            run: "click",
        },
        {
            content: "Select the floor tiles' line",
            trigger: ".o_data_row:contains('Tour floor tile') td.o_list_record_selector input",
            run: "click",
        },
        {
            content: "Apply it to Odoo's stock",
            trigger: ".o_control_panel_actions button:contains('Apply to Odoo')",
            run: "click",
        },
        {
            content: "Only the glue's difference is left to review",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour floor tile'))) .o_data_row:contains('Tour glue')",
        },
    ],
});
