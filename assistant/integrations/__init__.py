"""Adapters for the tools people already use: MCP clients (through Gradio's named API),
llama-index pipelines, spreadsheets (see assistant.export)."""
