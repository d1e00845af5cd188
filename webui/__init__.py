"""The Flask web UI: an application factory (`webui.app.create_app`) wiring one package of
blueprints per domain to the kb services."""
