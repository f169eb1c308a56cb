"""The kernel manager run-notebook gives papermill: no interrupt when a finished kernel stops.

jupyter_client interrupts a kernel before asking it to shut down; a kernel that is idle by
then logs ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` on the terminal of a
successful run. A notebook that papermill has finished has nothing to interrupt.
"""

from __future__ import annotations

from jupyter_client.manager import AsyncKernelManager


class QuietKernelManager(AsyncKernelManager):
    """AsyncKernelManager that does not interrupt a kernel it is shutting down."""

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()
