import { registry } from "@web/core/registry";
import { openMenuSteps } from "@logistics_integration/../tests/tours/steps";

// A transport manager finds, on the tender board, a load every carrier of its lane
// declined, and tenders it by hand to a carrier reached by phone. The test makes the load
// (a delivery to "Tour Orlando Tiles") and has every carrier decline it.
registry.category("web_tour.tours").add("logistics_tms_manager_tenders_by_hand", {
    steps: () => [
        ...openMenuSteps(
            "stock.menu_stock_root",
            "logistics_tms.logistics_tms_menu",
            "logistics_tms.logistics_tender_board_menu"
        ),
        {
            content: "The load nobody accepted is there, declined by its last carrier",
            trigger: ".o_data_row:contains('Lakes Express'):contains('Declined')",
        },
        {
            content: "Open the load",
            trigger: ".o_data_row:contains('Lakes Express') button[name=action_open_order]",
            run: "click",
        },
        {
            content: "The load says nobody took it",
            trigger: ".o_form_view .alert-danger:contains('No carrier of the routing guide took this load')",
        },
        {
            content: "Tender it to a chosen carrier",
            trigger: ".o_form_view button:contains('Tender to...')",
            run: "click",
        },
        {
            content: "Choose the carrier reached by phone",
            trigger: ".modal .o_field_widget[name=carrier_id] input",
            run: "edit Tour Backup Haulers",
        },
        {
            content: "Pick it",
            trigger: ".ui-autocomplete .dropdown-item:contains('Tour Backup Haulers')",
            run: "click",
        },
        {
            content: "At the rate agreed",
            trigger: ".modal .o_field_widget[name=rate] input",
            run: "edit 2750",
        },
        {
            content: "Tender",
            trigger: ".modal button[name=action_tender]",
            run: "click",
        },
        {
            content: "The load is tendered to that carrier",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Tendered')",
        },
    ],
});
