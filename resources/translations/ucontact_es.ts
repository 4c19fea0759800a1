<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>CheckList</name>
    <message>
        <location filename="../../app/gui/checklist.py" line="55"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../app/gui/checklist.py" line="55"/>
        <source>Check</source>
        <translation>Comprobación</translation>
    </message>
    <message>
        <location filename="../../app/gui/checklist.py" line="56"/>
        <source>Checks</source>
        <translation>Comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/gui/checklist.py" line="58"/>
        <source>The checks grouped by area; select one to see its details.</source>
        <translation>Las comprobaciones agrupadas por área; seleccione una para ver sus detalles.</translation>
    </message>
    <message>
        <location filename="../../app/gui/checklist.py" line="161"/>
        <source>Group %1: %2</source>
        <translation>Grupo %1: %2</translation>
    </message>
</context>
<context>
    <name>CheckTitle</name>
    <message>
        <location filename="../../app/gui/texts.py" line="20"/>
        <source>Name resolution</source>
        <translation>Resolución de nombres</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="21"/>
        <source>Web app over HTTPS (TCP 443)</source>
        <translation>Aplicación web por HTTPS (TCP 443)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="22"/>
        <source>SIP over secure WebSocket (TCP 8089)</source>
        <translation>SIP sobre WebSocket seguro (TCP 8089)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="23"/>
        <source>STUN over UDP (3478)</source>
        <translation>STUN por UDP (3478)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="24"/>
        <source>STUN over TCP (3478)</source>
        <translation>STUN por TCP (3478)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="25"/>
        <source>Browser media candidates (ICE)</source>
        <translation>Candidatos de medios del navegador (ICE)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="26"/>
        <source>TLS certificate of the web app (443)</source>
        <translation>Certificado TLS de la aplicación web (443)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="27"/>
        <source>TLS certificate of SIP signalling (8089)</source>
        <translation>Certificado TLS de la señalización SIP (8089)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="28"/>
        <source>Certificate authority download (GeoTrust)</source>
        <translation>Descarga de la autoridad de certificación (GeoTrust)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="29"/>
        <source>Chrome certificate updates (redirector.gvt1.com)</source>
        <translation>Actualizaciones de certificados de Chrome (redirector.gvt1.com)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="30"/>
        <source>Licence server</source>
        <translation>Servidor de licencias</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="31"/>
        <source>Monitoring service</source>
        <translation>Servicio de monitoreo</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="32"/>
        <source>Updates from GitHub</source>
        <translation>Actualizaciones desde GitHub</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="33"/>
        <source>Addresses used by Chrome</source>
        <translation>Direcciones que usa Chrome</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="34"/>
        <source>Voice media ports (UDP 10000-20000)</source>
        <translation>Puertos de audio de voz (UDP 10000-20000)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="35"/>
        <source>UDP 8089</source>
        <translation>UDP 8089</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="36"/>
        <source>UDP 443 (QUIC)</source>
        <translation>UDP 443 (QUIC)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="37"/>
        <source>NAT behaviour (RFC 5780)</source>
        <translation>Comportamiento del NAT (RFC 5780)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="38"/>
        <source>Call quality (G.711 stream)</source>
        <translation>Calidad de llamada (flujo G.711)</translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <location filename="../../app/gui/details.py" line="111"/>
        <source>&lt;b&gt;What was found&lt;/b&gt;</source>
        <translation>&lt;b&gt;Qué se encontró&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="112"/>
        <source>&lt;b&gt;How to fix it&lt;/b&gt;</source>
        <translation>&lt;b&gt;Cómo solucionarlo&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="113"/>
        <source>&lt;b&gt;Measured values&lt;/b&gt;</source>
        <translation>&lt;b&gt;Valores medidos&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="114"/>
        <source>Cop&amp;y fix for the network administrator</source>
        <translation>Cop&amp;iar la solución para el administrador de red</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="115"/>
        <source>Copy fix</source>
        <translation>Copiar solución</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="117"/>
        <source>Copies the fix to the clipboard for the network administrator.</source>
        <translation>Copia la solución al portapapeles para el administrador de red.</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="119"/>
        <source>Selected check</source>
        <translation>Comprobación seleccionada</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="120"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="121"/>
        <source>Requirement</source>
        <translation>Requisito</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="122"/>
        <source>What was found</source>
        <translation>Qué se encontró</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="123"/>
        <source>How to fix it</source>
        <translation>Cómo solucionarlo</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="124"/>
        <source>Measured values</source>
        <translation>Valores medidos</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="147"/>
        <source>Select a check to see its details.</source>
        <translation>Seleccione una comprobación para ver sus detalles.</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="168"/>
        <source>Requirement: %1</source>
        <translation>Requisito: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="177"/>
        <source>This check has not finished yet.</source>
        <translation>Esta comprobación todavía no terminó.</translation>
    </message>
    <message>
        <location filename="../../app/gui/details.py" line="197"/>
        <source>Part of this text has no translation yet and is shown in English.</source>
        <translation>Parte de este texto todavía no tiene traducción y se muestra en inglés.</translation>
    </message>
</context>
<context>
    <name>Group</name>
    <message>
        <location filename="../../app/gui/texts.py" line="42"/>
        <source>Signalling</source>
        <translation>Señalización</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="43"/>
        <source>Media (audio)</source>
        <translation>Medios (audio)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="44"/>
        <source>Security</source>
        <translation>Seguridad</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="45"/>
        <source>Services</source>
        <translation>Servicios</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="46"/>
        <source>This computer</source>
        <translation>Este equipo</translation>
    </message>
</context>
<context>
    <name>Light</name>
    <message>
        <location filename="../../app/gui/lights.py" line="63"/>
        <source>Passed</source>
        <translation>Correcto</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="64"/>
        <source>Warning</source>
        <translation>Advertencia</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="65"/>
        <source>Failed</source>
        <translation>Falló</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="66"/>
        <source>Not verified</source>
        <translation>Sin verificar</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="67"/>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="68"/>
        <source>Checking</source>
        <translation>Comprobando</translation>
    </message>
    <message>
        <location filename="../../app/gui/lights.py" line="69"/>
        <source>Not run</source>
        <translation>No ejecutada</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/gui/window.py" line="284"/>
        <source>Fix copied.</source>
        <translation>Solución copiada.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="303"/>
        <source>uContact Network Check</source>
        <translation>Verificación de red de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="304"/>
        <source>uContact &amp;instance:</source>
        <translation>&amp;Instancia de uContact:</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="306"/>
        <source>Your instance name, or paste your uContact address</source>
        <translation>El nombre de su instancia, o pegue su dirección de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="308"/>
        <source>uContact instance</source>
        <translation>Instancia de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="311"/>
        <source>The first part of your uContact address, such as acme for acme.ucontactcloud.com. A pasted address works too.</source>
        <translation>La primera parte de su dirección de uContact, como acme para acme.ucontactcloud.com. También puede pegar la dirección.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="315"/>
        <source>&amp;Run checks</source>
        <translation>&amp;Ejecutar comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="316"/>
        <location filename="../../app/gui/window.py" line="344"/>
        <source>Run checks</source>
        <translation>Ejecutar comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="317"/>
        <source>Run all checks (F5)</source>
        <translation>Ejecutar todas las comprobaciones (F5)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="318"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancelar</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="319"/>
        <source>Cancel the run</source>
        <translation>Cancelar la ejecución</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="320"/>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="321"/>
        <source>Step in progress</source>
        <translation>Paso en curso</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="322"/>
        <source>Elapsed time</source>
        <translation>Tiempo transcurrido</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="323"/>
        <source>Verdict</source>
        <translation>Veredicto</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="324"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="325"/>
        <source>E&amp;xport report…</source>
        <translation>E&amp;xportar informe…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="326"/>
        <location filename="../../app/gui/window.py" line="629"/>
        <source>Export report</source>
        <translation>Exportar informe</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="327"/>
        <source>Save the report as PDF, HTML or JSON</source>
        <translation>Guardar el informe como PDF, HTML o JSON</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="328"/>
        <source>Copy &amp;summary</source>
        <translation>Copiar &amp;resumen</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="329"/>
        <source>Copy summary</source>
        <translation>Copiar resumen</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="331"/>
        <source>Copy the verdict and every result to the clipboard</source>
        <translation>Copiar el veredicto y cada resultado al portapapeles</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="333"/>
        <location filename="../../app/gui/window.py" line="341"/>
        <source>Open &amp;last report</source>
        <translation>Abrir el últi&amp;mo informe</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="334"/>
        <source>Open last report</source>
        <translation>Abrir el último informe</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="335"/>
        <location filename="../../app/gui/window.py" line="342"/>
        <source>Open lo&amp;g folder</source>
        <translation>Abrir la carpeta de re&amp;gistros</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="336"/>
        <source>Open log folder</source>
        <translation>Abrir la carpeta de registros</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="338"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="339"/>
        <source>&amp;Export report…</source>
        <translation>&amp;Exportar informe…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="340"/>
        <source>Use a requirements &amp;profile…</source>
        <translation>Usar un &amp;perfil de requisitos…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="343"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="345"/>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="346"/>
        <source>&amp;System language</source>
        <translation>Idioma del &amp;sistema</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="349"/>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="350"/>
        <source>&amp;About uContact Network Check</source>
        <translation>&amp;Acerca de Verificación de red de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="360"/>
        <source>%v of %m checks</source>
        <translation>%v de %m comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="367"/>
        <source>Requirements profile: %1</source>
        <translation>Perfil de requisitos: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="374"/>
        <source>Checking your network…</source>
        <translation>Comprobando su red…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="376"/>
        <source>Cancelled: no verdict. Run the checks again.</source>
        <translation>Cancelado: sin veredicto. Ejecute las comprobaciones de nuevo.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="378"/>
        <source>The checks could not run.</source>
        <translation>No se pudieron ejecutar las comprobaciones.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="380"/>
        <source>Enter your uContact instance and press Run checks.</source>
        <translation>Escriba su instancia de uContact y pulse Ejecutar comprobaciones.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="385"/>
        <source>Ready for calls</source>
        <translation>Listo para llamadas</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="387"/>
        <source>Ready, with warnings</source>
        <translation>Listo, con advertencias</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/gui/window.py" line="389"/>
        <source>Not ready: %n problem(s)</source>
        <translation>
            <numerusform>No está listo: %n problema</numerusform>
            <numerusform>No está listo: %n problemas</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="408"/>
        <source>%1</source>
        <translation>%1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="410"/>
        <source>The run stopped because of an internal error (%1). The log file has the details.</source>
        <translation>La ejecución se detuvo por un error interno (%1). El archivo de registro tiene los detalles.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="414"/>
        <source>The report was not exported: %1 The results are still on screen.</source>
        <translation>El informe no se exportó: %1 Los resultados siguen en pantalla.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="416"/>
        <source>There is no report yet: run the checks first.</source>
        <translation>Todavía no hay informe: ejecute primero las comprobaciones.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="417"/>
        <source>Could not open %1: no program is set to open it.</source>
        <translation>No se pudo abrir %1: no hay ningún programa configurado para abrirlo.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="418"/>
        <source>The last report was not kept: %1</source>
        <translation>No se guardó el último informe: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="437"/>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="440"/>
        <source>Checking: %1</source>
        <translation>Comprobando: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="442"/>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="444"/>
        <source>Finished</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="456"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="623"/>
        <source>PDF document (*.pdf)</source>
        <translation>Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="624"/>
        <source>Web page (*.html)</source>
        <translation>Página web (*.html)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="625"/>
        <source>JSON data (*.json)</source>
        <translation>Datos JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="657"/>
        <source>Report saved to %1</source>
        <translation>Informe guardado en %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="666"/>
        <location filename="../../app/gui/window.py" line="721"/>
        <source>uContact Network Check %1</source>
        <translation>Verificación de red de uContact %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="667"/>
        <source>Instance: %1</source>
        <translation>Instancia: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="668"/>
        <source>Started: %1</source>
        <translation>Inicio: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="679"/>
        <source>Fix: %1</source>
        <translation>Solución: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="686"/>
        <source>Summary copied.</source>
        <translation>Resumen copiado.</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="708"/>
        <source>Use a requirements profile</source>
        <translation>Usar un perfil de requisitos</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="710"/>
        <source>Requirements profile (*.toml)</source>
        <translation>Perfil de requisitos (*.toml)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="719"/>
        <source>About uContact Network Check</source>
        <translation>Acerca de Verificación de red de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/window.py" line="724"/>
        <source>Checks whether this computer&apos;s network is ready for uContact calls and writes a report for the helpdesk.

Log folder: %1</source>
        <translation>Comprueba si la red de este equipo está lista para las llamadas de uContact y escribe un informe para la mesa de ayuda.

Carpeta de registros: %1</translation>
    </message>
</context>
<context>
    <name>Result</name>
    <message>
        <location filename="../../app/gui/texts.py" line="53"/>
        <source>Every uContact host resolves through this computer&apos;s DNS server</source>
        <translation>Cada host de uContact se resuelve con el servidor DNS de este equipo</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="56"/>
        <source>TCP 443 to {host} answers HTTPS</source>
        <translation>TCP 443 hacia {host} responde por HTTPS</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="57"/>
        <source>TCP 8089 to {host} carries SIP over WebSocket</source>
        <translation>TCP 8089 hacia {host} transporta SIP sobre WebSocket</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="58"/>
        <source>{transport} {port} to {host} answers STUN binding requests</source>
        <translation>{transport} {port} hacia {host} responde a las solicitudes de enlace STUN</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="61"/>
        <source>ICE gathering finds a server-reflexive candidate through {host}</source>
        <translation>La recolección ICE encuentra un candidato reflexivo del servidor a través de {host}</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="64"/>
        <source>TLS 1.2 or newer, a 128-bit cipher and a certificate Chrome trusts on {address}</source>
        <translation>TLS 1.2 o posterior, un cifrado de 128 bits y un certificado en el que Chrome confía en {address}</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="68"/>
        <source>Browsers can download the {issuer} certificate to complete uContact&apos;s chain</source>
        <translation>Los navegadores pueden descargar el certificado {issuer} para completar la cadena de uContact</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="72"/>
        <source>Chrome reaches {host} for its component and CRLSet updates</source>
        <translation>Chrome llega a {host} para sus actualizaciones de componentes y de CRLSet</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="75"/>
        <source>The uContact licence server answers over HTTPS</source>
        <translation>El servidor de licencias de uContact responde por HTTPS</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="76"/>
        <source>{host} answers over HTTPS</source>
        <translation>{host} responde por HTTPS</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="77"/>
        <source>{first}, {second} and {third} answer over HTTPS</source>
        <translation>{first}, {second} y {third} responden por HTTPS</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="78"/>
        <source>TCP 443 to {first} and {second}, and STUN on UDP {port} to {stun}</source>
        <translation>TCP 443 hacia {first} y {second}, y STUN por UDP {port} hacia {stun}</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="81"/>
        <source>UDP {ports} to {host} carries RTP</source>
        <translation>UDP {ports} hacia {host} transporta RTP</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="82"/>
        <source>UDP {port} to {host} is open</source>
        <translation>UDP {port} hacia {host} está abierto</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="83"/>
        <source>The NAT keeps one public mapping per local port (not symmetric)</source>
        <translation>El NAT mantiene una asignación pública por puerto local (no simétrico)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="86"/>
        <source>Round-trip time, jitter, loss and MOS of a G.711-shaped stream meet the thresholds</source>
        <translation>El tiempo de ida y vuelta, el jitter, la pérdida y el MOS de un flujo con forma de G.711 cumplen los umbrales</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="92"/>
        <source>The check did not finish within its {timeout} s timeout, so it could not be verified.</source>
        <translation>La comprobación no terminó dentro de su plazo de {timeout} s, así que no se pudo verificar.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="97"/>
        <source>Run the check again; if it repeats, send this report to the helpdesk.</source>
        <translation>Ejecute la comprobación de nuevo; si se repite, envíe este informe a la mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="101"/>
        <source>Hosts involved: {hosts}.</source>
        <translation>Hosts involucrados: {hosts}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="102"/>
        <source>The check stopped with an internal error ({error}), so it could not be verified.</source>
        <translation>La comprobación se detuvo por un error interno ({error}), así que no se pudo verificar.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="107"/>
        <source>Send this report and the log file to the helpdesk.</source>
        <translation>Envíe este informe y el archivo de registro a la mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="108"/>
        <source>The run reached its {deadline} s deadline before this check finished.</source>
        <translation>La ejecución alcanzó su límite de {deadline} s antes de que terminara esta comprobación.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="112"/>
        <source>Run the checks again.</source>
        <translation>Ejecute las comprobaciones de nuevo.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="114"/>
        <source>No host names to resolve.</source>
        <translation>No hay nombres de host que resolver.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="115"/>
        <source>All {count} hosts resolved (slowest {ms} ms).</source>
        <translation>Hosts resueltos: {count} (el más lento, {ms} ms).</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="116"/>
        <source>{failed} of {count} hosts did not resolve: {reason_list}.</source>
        <translation>{failed} de {count} hosts no se resolvieron: {reason_list}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="119"/>
        <source>{host}: the DNS server says the name does not exist (NXDOMAIN)</source>
        <translation>{host}: el servidor DNS indica que el nombre no existe (NXDOMAIN)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="123"/>
        <source>{host}: the name exists but has no IPv4 or IPv6 address</source>
        <translation>{host}: el nombre existe pero no tiene dirección IPv4 ni IPv6</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="126"/>
        <source>{host}: no DNS server answered in time</source>
        <translation>{host}: ningún servidor DNS respondió a tiempo</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="127"/>
        <source>{host}: the DNS server failed to answer (SERVFAIL)</source>
        <translation>{host}: el servidor DNS no pudo responder (SERVFAIL)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="128"/>
        <source>{host}: the DNS server refused the query (REFUSED)</source>
        <translation>{host}: el servidor DNS rechazó la consulta (REFUSED)</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="129"/>
        <source>{host}: no DNS server is configured on this computer</source>
        <translation>{host}: no hay ningún servidor DNS configurado en este equipo</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="130"/>
        <source>{host}: the name is not a valid host name</source>
        <translation>{host}: el nombre no es un nombre de host válido</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="132"/>
        <source>{url} (HTTP {status}, {ms} ms) answered.</source>
        <translation>{url} (HTTP {status}, {ms} ms) respondió.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="133"/>
        <source>All {count} URLs answered: {answers}.</source>
        <translation>Respondieron todas las URL ({count}): {answers}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="134"/>
        <source>{failed} of {count} URLs failed.</source>
        <translation>Fallaron {failed} de {count} URL.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="135"/>
        <source>STUN over {protocol} to {target} returned the mapped address {mapped} in {ms} ms.</source>
        <translation>STUN por {protocol} hacia {target} devolvió la dirección asignada {mapped} en {ms} ms.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="140"/>
        <source>{url} answered the SIP OPTIONS with &quot;{status}&quot; in {ms} ms.</source>
        <translation>{url} respondió al OPTIONS de SIP con &quot;{status}&quot; en {ms} ms.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="143"/>
        <source>All {count} Chrome addresses answered: {answers}.</source>
        <translation>Respondieron todas las direcciones de Chrome ({count}): {answers}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="145"/>
        <source>Make {host} resolve on this computer&apos;s DNS server (UDP/TCP port 53): check the DNS server or filter, or ask the uContact administrator for the right instance name.</source>
        <translation>Haga que {host} se resuelva en el servidor DNS de este equipo (puerto UDP/TCP 53): revise el servidor DNS o el filtro, o pida al administrador de uContact el nombre de instancia correcto.</translation>
    </message>
    <message>
        <location filename="../../app/gui/texts.py" line="151"/>
        <source>Allow outbound {protocol} port {port} from this network to {host} on the firewall, proxy or security software.</source>
        <translation>Permita el tráfico saliente {protocol} al puerto {port} desde esta red hacia {host} en el firewall, el proxy o el software de seguridad.</translation>
    </message>
</context>
</TS>
